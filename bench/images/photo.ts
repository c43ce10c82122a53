import { sharp } from "./sharp.js";

/**
 * A 12 MP (4000×3000) JPEG that compresses like a photo, the same on every run: a colour
 * gradient, luminance texture at five scales (the finer ones only in places), soft colour
 * variation, hard-edged shapes and a little sensor grain. It looks like nothing, but a flat
 * or pure-noise image would make WebP's work (the cost being measured) unrealistically cheap
 * or dear; this one weighs what a phone photo does: 2.7 MB as a quality-90 JPEG, ~345 kB as a
 * 1920 px WebP at quality 80.
 */
export const PHOTO = { width: 4000, height: 3000 } as const;

const { width: W, height: H } = PHOTO;

/** Luminance octaves: [downscale factor, amplitude in levels]. */
const OCTAVES = [
  [256, 60],
  [64, 35],
  [16, 30],
  [4, 26],
  [1, 6],
] as const;

export async function syntheticPhoto(seed = 1): Promise<Buffer> {
  const random = mulberry32(seed);
  const octaves = [];
  for (const [scale] of OCTAVES) octaves.push(await noiseField(random, scale));
  const [chromaRed, chromaBlue, detailMask] = [
    await noiseField(random, 200),
    await noiseField(random, 200),
    await noiseField(random, 400),
  ];

  const luminance = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const depth = y / H;
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      // The finer texture only where the mask and the depth say so: calm areas and busy ones.
      const detail = clamp((at(detailMask, i) - 100) / 60 + (depth - 0.4) * 3, 0, 1);
      let value = 0;
      for (let o = 0; o < OCTAVES.length; o++) {
        const weight = o === 2 || o === 3 ? detail : 1;
        value += weight * ((at(octaves[o], i) - 128) / 128) * (OCTAVES[o]?.[1] ?? 0);
      }
      luminance[i] = value;
    }
  }
  // Buildings, windows, signs: hard edges, where WebP spends its bits.
  for (let n = 0; n < 40; n++) {
    const [x0, y0] = [Math.floor(random() * W), Math.floor(H * (0.35 + random() * 0.6))];
    const [x1, y1] = [Math.min(W, x0 + 40 + random() * 500), Math.min(H, y0 + 40 + random() * 400)];
    const shade = (random() - 0.5) * 120;
    for (let y = y0; y < y1; y++) {
      for (let i = y * W + x0; i < y * W + x1; i++) luminance[i] = (luminance[i] ?? 0) + shade;
    }
  }

  const rgb = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    const sky = 1 - Math.min(1, (Math.floor(i / W) / H) * 2);
    const v = luminance[i] ?? 0;
    const cr = ((at(chromaRed, i) - 128) / 128) * 25;
    const cb = ((at(chromaBlue, i) - 128) / 128) * 25;
    rgb[i * 3] = clamp(120 + 10 * sky + v + cr, 0, 255);
    rgb[i * 3 + 1] = clamp(120 + 30 * sky + v - 0.4 * (cr + cb), 0, 255);
    rgb[i * 3 + 2] = clamp(110 + 90 * sky + v + cb, 0, 255);
  }
  return sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Uniform noise at 1/`scale` resolution, smoothly enlarged to the full size (one band). */
async function noiseField(random: () => number, scale: number): Promise<Buffer> {
  const [width, height] = [Math.ceil(W / scale), Math.ceil(H / scale)];
  const noise = Buffer.alloc(width * height);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
  if (scale === 1) return noise;
  return sharp(noise, { raw: { width, height, channels: 1 } })
    .resize(W, H, { fit: "fill" })
    .toColourspace("b-w") // sharp would otherwise hand back three identical bands
    .raw()
    .toBuffer();
}

const at = (field: Buffer | undefined, i: number) => field?.[i] ?? 128;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
