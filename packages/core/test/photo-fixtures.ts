import { deflateSync } from "node:zlib";
import sharp from "sharp";

/** Test images, made with sharp at run time: no binary fixtures in the repository. */

export type Rgb = readonly [number, number, number];
export const RED: Rgb = [255, 0, 0];
export const WHITE: Rgb = [255, 255, 255];
export const BLUE: Rgb = [0, 0, 255];

const colour = ([r, g, b]: Rgb, alpha = 1) => ({ r, g, b, alpha });

/** A flat image with a `corner`-px square of `mark` in its stored top-left corner. */
export function canvas(
  width: number,
  height: number,
  options: { background?: Rgb; mark?: Rgb; corner?: number; alpha?: boolean } = {},
) {
  const { background = WHITE, mark, corner = 0, alpha = false } = options;
  const image = sharp({
    create: { width, height, channels: alpha ? 4 : 3, background: colour(background) },
  });
  if (!mark || corner === 0) return image;
  const square = { width: corner, height: corner, channels: 3 as const, background: colour(mark) };
  return image.composite([{ input: { create: square }, left: 0, top: 0 }]);
}

/**
 * A camera JPEG: stored landscape with an EXIF orientation, make and model and a GPS position
 * (the host's home, for a photo taken there), as a phone writes it.
 */
export function cameraJpeg(width: number, height: number, orientation: number) {
  return canvas(width, height, { mark: RED, corner: Math.round(width / 10) })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: "Localstays", Model: "Test Camera" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "59/1 19/1 4512/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "18/1 4/1 1234/100",
      },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

/** Whether an EXIF block (as sharp's metadata returns it) links a GPS directory (tag 0x8825). */
export function hasGpsDirectory(exif: Buffer): boolean {
  const tiff = exif.subarray(exif.indexOf("Exif\0\0") + 6);
  const tag = tiff.toString("latin1", 0, 2) === "II" ? [0x25, 0x88] : [0x88, 0x25];
  return tiff.includes(Buffer.from(tag));
}

/** A PNG whose left half is fully transparent and right half opaque `right`. */
export function halfTransparentPng(width: number, height: number, right: Rgb) {
  const half = { width: width / 2, height, channels: 4 as const, background: colour(right) };
  return sharp({ create: { width, height, channels: 4, background: colour(WHITE, 0) } })
    .composite([{ input: { create: half }, left: width / 2, top: 0 }])
    .png()
    .toBuffer();
}

/** The RGBA pixel at (x, y) of any image sharp reads. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

/** Every channel within `tolerance` of the expected colour (lossy formats move a few levels). */
export const near = (actual: number[], expected: Rgb, tolerance = 12) =>
  expected.every((value, i) => Math.abs((actual[i] ?? Number.NaN) - value) <= tolerance);

/**
 * Only the start of a PNG: signature, an IHDR claiming `width`×`height` RGB, and an empty IDAT
 * (libpng reads up to the first IDAT before it reports a size). 45 bytes, no pixels.
 */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", Buffer.alloc(0)),
  ]);
}

/**
 * A whole, valid PNG of `width`×`height` 1-bit grey pixels, all black: deflate squeezes the
 * 10000×10000 one (12.5 MB of rows) into about 12 KB. Decoding it costs 100 MP.
 */
export function flatOneBitPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: grey
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(rows, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Deterministic bytes (mulberry32), so a failure reproduces. */
export function randomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    bytes[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return bytes;
}

/**
 * A textured image (blurred noise, the same every run): flat colour would hide decoding
 * errors, and sharp's own noise generator is not seeded.
 */
export function texturedPhoto(width: number, height: number) {
  const raw = { width, height, channels: 3 as const };
  return sharp(randomBytes(width * height * 3, width * height), { raw }).blur(1.5);
}
