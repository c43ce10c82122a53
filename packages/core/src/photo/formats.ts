/**
 * What a host may upload and what guests get back: shared by the upload request (the
 * presigned POST's conditions), the processor (which re-checks everything from the bytes)
 * and the dashboard.
 */

/**
 * Declared types a host may upload. The prebuilt sharp reads HEIF only with AV1 inside
 * (AVIF), not the HEVC HEIC that iPhones write, so HEIC is refused at the request with a
 * clear message rather than failing later in the processor.
 */
export const UPLOAD_CONTENT_TYPES = [
  "image/jpeg",
  "image/png",
  "image/webp",
  "image/avif",
] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** 15 MiB: a 24 MP JPEG straight from a camera fits. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

/**
 * 100 MP: a 50 MP camera (8688×5792) or a phone panorama, with room. Checked against the
 * header before any pixel is decoded, so a 45-byte PNG that claims 50000×50000 costs nothing;
 * the worst case that passes (a 100 MP PNG with EXIF rotation) peaked at 165 MB RSS.
 */
export const MAX_INPUT_PIXELS = 100_000_000;

/**
 * The decode budget: pixels a file may cost in proportion to its bytes. A 10000×10000 1-bit
 * PNG compresses to about 12 KB yet decodes to 100 MP (seconds of CPU, hundreds of MB), so
 * past `freePixels` (16 MP: any phone photo, however flat) a file must bring at least one byte
 * per `pixelsPerByte` pixels. Real photos are far denser: a camera JPEG is 2 to 10 pixels per
 * byte, a flat PNG screenshot rarely over 50. Checked from the header, before any decode:
 * a refusal is TOO_MANY_PIXELS.
 */
export const DECODE_BUDGET = { freePixels: 16_000_000, pixelsPerByte: 100 } as const;

export function withinDecodeBudget(pixels: number, bytes: number): boolean {
  return pixels <= DECODE_BUDGET.freePixels || pixels <= bytes * DECODE_BUDGET.pixelsPerByte;
}

/** Web-ready variants, widest first; never upscaled. */
export const VARIANTS = [
  { name: "xl", width: 1920 },
  { name: "md", width: 1024 },
  { name: "sm", width: 400 },
] as const;
export type VariantName = (typeof VARIANTS)[number]["name"];

/** Why a file was refused by the processor (stored on the photo record as FAILED). */
export const FAILURE_REASONS = [
  "UNSUPPORTED_FORMAT",
  "TOO_LARGE",
  "TOO_MANY_PIXELS",
  "CORRUPT",
  /** Not the file: it never came (the sweeper, image/sweep.ts). */
  "EXPIRED",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
