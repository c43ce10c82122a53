import sharp from "sharp";
import { type FailureReason, MAX_INPUT_PIXELS } from "./formats.js";

/**
 * The part of the pipeline that touches untrusted bytes: what the file really is, and its
 * pixels, upright, in sRGB. Everything that can go wrong here because of the file becomes an
 * PhotoRejected; anything else (a bug, memory) is thrown as it came.
 */

/** The file itself is unusable: record the photo as FAILED, retrying cannot help. */
export class PhotoRejected extends Error {
  override readonly name = "PhotoRejected";
  constructor(
    readonly reason: FailureReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type SourceFormat = "jpeg" | "png" | "webp" | "avif";

/** Decoded pixels: 8-bit sRGB, straight (not premultiplied) alpha when there are 4 channels. */
export interface RawPhoto {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** The largest width or height WebP can store. */
export const WEBP_MAX_DIMENSION = 16383;

// Keep sharp's default failOn ("warning"): "none" would turn a truncated JPEG into a grey-
// bottomed photo instead of a CORRUPT record.
const INPUT_OPTIONS = { limitInputPixels: MAX_INPUT_PIXELS } as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ascii = (bytes: Buffer, start: number, end: number) =>
  bytes.subarray(start, end).toString("latin1");

/**
 * The container the first bytes announce. libvips picks a loader by sniffing too, and would
 * happily hand an upload to librsvg (SVG), libtiff, its GIF or PDF readers: checking the magic
 * numbers first means only the four parsers we accept ever read a host's file.
 */
function sniff(bytes: Buffer): "jpeg" | "png" | "webp" | "heif" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  // ISO BMFF: AVIF, but also HEIC and MP4; libheif and the compression check sort them out.
  if (ascii(bytes, 4, 8) === "ftyp") return "heif";
  return undefined;
}

/** The real format and upright size, from the header only (nothing is decoded yet). */
export async function inspect(
  bytes: Buffer,
): Promise<{ format: SourceFormat; width: number; height: number }> {
  // An empty object is an upload that broke off before its first byte.
  if (bytes.length === 0) throw new PhotoRejected("CORRUPT", "The file is empty");
  const container = sniff(bytes);
  if (!container) throw unsupported("an unknown signature");
  const metadata = await sharp(bytes, INPUT_OPTIONS)
    .metadata()
    .catch((error: unknown) => {
      throw asRejection(error);
    });
  if (metadata.format !== container) throw unsupported(`${metadata.format} inside ${container}`);
  // The prebuilt libvips decodes HEIF only with AV1 inside: HEVC (iPhone HEIC) cannot be read.
  if (container === "heif" && metadata.compression !== "av1") {
    throw unsupported(`HEIF with ${metadata.compression ?? "unknown"} compression`);
  }
  const format = container === "heif" ? "avif" : container;
  return { format, width: metadata.autoOrient.width, height: metadata.autoOrient.height };
}

/**
 * Decode once: EXIF orientation applied, any embedded ICC profile converted to sRGB, reduced
 * (never enlarged) to fit `maxWidth` and WebP's height limit. For a JPEG, libvips decodes at
 * 1/2, 1/4 or 1/8 scale when that is enough (shrink-on-load), which is most of the saving.
 */
export async function decodeUpright(bytes: Buffer, maxWidth: number): Promise<RawPhoto> {
  const { data, info } = await sharp(bytes, INPUT_OPTIONS)
    .rotate()
    .resize({
      width: maxWidth,
      height: WEBP_MAX_DIMENSION,
      fit: "inside",
      withoutEnlargement: true,
    })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw asRejection(error);
    });
  const { width, height, channels } = info;
  // sRGB output is 3 bands, 4 with alpha (grey and CMYK are converted): anything else is a bug.
  if (channels !== 3 && channels !== 4) throw new Error(`Decoded ${channels} channels`);
  return { data, width, height, channels };
}

/**
 * A sharp pipeline reading decoded pixels. `info.premultiplied` on the decode output only says
 * the resize premultiplied internally: the bytes are straight alpha, so it is not passed on
 * (passing it darkens every translucent pixel twice).
 */
export const fromRaw = ({ data, width, height, channels }: RawPhoto) =>
  sharp(data, { raw: { width, height, channels } });

const unsupported = (what: string) =>
  new PhotoRejected("UNSUPPORTED_FORMAT", `Not a JPEG, PNG, WebP or AVIF image: ${what}`);

/**
 * sharp's own messages about the input, then libvips' error lines, which start with the
 * domain that raised them: the loaders of the accepted formats and the buffer they read
 * (`source: bad seek` is a truncated AVIF). libvips keeps one error buffer per process, so
 * when another image fails at the same moment a message can lose its detail; sharp then says
 * only that a warning failed the image (under the default failOn, a decoder's complaint) or
 * that the header is corrupt, with nothing after the colon.
 */
const FILE_FAULTS: [RegExp, FailureReason][] = [
  [/^Input image exceeds pixel limit/, "TOO_MANY_PIXELS"],
  [/^Input buffer contains unsupported image format/, "UNSUPPORTED_FORMAT"],
  [/^Warning treated as error due to failOn setting/, "CORRUPT"],
  [/^Input buffer has corrupt header:/, "CORRUPT"],
  [/^(?:VipsJpeg|vipspng|webp2vips|heif|source): /m, "CORRUPT"],
];
/** Out of memory is the machine's problem even when a loader reports it: retry elsewhere. */
const RESOURCE_FAULT = /out of memory|alloc/i;

function asRejection(error: unknown): unknown {
  if (!(error instanceof Error) || RESOURCE_FAULT.test(error.message)) return error;
  const fault = FILE_FAULTS.find(([pattern]) => pattern.test(error.message));
  if (!fault) return error;
  const firstLine = error.message.split("\n").find((line) => !line.startsWith("source: "));
  return new PhotoRejected(fault[1], firstLine ?? error.message, { cause: error });
}
