/**
 * The search key of a city: guests type "zurich", "Zürich" or "ZÜRICH " and mean one place.
 * Accents are stripped by Unicode decomposition; the few Latin letters that do not
 * decompose (ł, ø, ß, ...) are spelled out the way their languages transliterate them.
 */
const UNDECOMPOSABLE: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};

export function cityKey(city: string): string {
  return city
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => UNDECOMPOSABLE[letter] ?? letter)
    .replace(/[\s\-‐‑–—_]+/g, " ")
    .trim();
}
