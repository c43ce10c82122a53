/**
 * The average colour of a ThumbHash (base64), to paint while a photo loads. Decoding the
 * whole hash needs the thumbhash library; its header alone holds the average colour
 * (the DC terms of the L, P and Q channels), which is all a placeholder box needs.
 */
export function placeholderColor(thumbHash: string): string | undefined {
  let bytes: string;
  try {
    bytes = atob(thumbHash);
  } catch {
    return undefined;
  }
  if (bytes.length < 6) return undefined;
  const byte = (i: number) => bytes.charCodeAt(i);
  const header = byte(0) | (byte(1) << 8) | (byte(2) << 16);
  const l = (header & 63) / 63;
  const p = ((header >> 6) & 63) / 31.5 - 1;
  const q = ((header >> 12) & 63) / 31.5 - 1;
  const alpha = header >> 23 ? (byte(5) & 15) / 15 : 1;
  const b = l - (2 / 3) * p;
  const r = (3 * l - b + q) / 2;
  const g = r - q;
  const channel = (value: number) => Math.round(255 * Math.min(1, Math.max(0, value)));
  return `rgb(${channel(r)} ${channel(g)} ${channel(b)} / ${alpha.toFixed(2)})`;
}
