import sharp from "sharp";
import {
  decodeUpright,
  fromRaw,
  inspect,
  PhotoRejected,
  type RawPhoto,
  type SourceFormat,
} from "./decode.js";
import { MAX_UPLOAD_BYTES, VARIANTS, type VariantName, withinDecodeBudget } from "./formats.js";
import { placeholderOf } from "./placeholder.js";

export { PhotoRejected, type SourceFormat };

/**
 * An uploaded photo in, its web variants out: pure (bytes to bytes), no S3, no records.
 * `pnpm bench:images` measures it against one sharp pipeline per variant and jimp.
 *
 * Decode once, encode the variants at the same time: the decode (with the rotation and the
 * colour conversion) runs once at the largest size needed, the smaller variants are reduced
 * from those pixels, and the WebP encodes, which are most of the time, run side by side on
 * libuv's threads.
 */

export interface ProcessedVariant {
  name: VariantName;
  width: number;
  height: number;
  bytes: number;
  /** WebP, sRGB, no metadata. */
  body: Buffer;
}

export interface ProcessedPhoto {
  /** What the bytes are, whatever the upload declared. */
  format: SourceFormat;
  /** The original's size, upright (EXIF orientation applied). */
  width: number;
  height: number;
  /** In the order of VARIANTS; a small original gives variants of its own size. */
  variants: ProcessedVariant[];
  /** ThumbHash, base64. */
  placeholder: string;
}

export interface WebpSettings {
  quality: number;
  effort: number;
}

/**
 * Quality 80 is sharp's default and looks right for photos. Effort 2 instead of the default 4
 * halves the cost of the encodes, which are most of the work: decoding once saves less than
 * 10% of the CPU (JPEG shrink-on-load already makes the smaller decodes cheap), so without it
 * a one-vCPU Lambda would be barely faster than one pipeline per variant. The price: +3 to 6%
 * bytes at the same quality setting, about +10% at equal SSIM. `pnpm bench:images` shows both
 * (its "naive's WebP settings" row is effort 4).
 */
export const WEBP: WebpSettings = { quality: 80, effort: 2 };

// Every upload is a different image: libvips' operation cache (up to 50 MB) would never hit.
sharp.cache(false);

const widest = Math.max(...VARIANTS.map((variant) => variant.width));

/**
 * Throws PhotoRejected when the file is the problem (FAILED, do not retry); any other error
 * is not the file's fault and propagates as it came, for the caller to retry.
 * `webp` exists for the benchmark's comparisons; callers use the default.
 */
export async function processPhoto(input: Buffer, webp = WEBP): Promise<ProcessedPhoto> {
  // A caller's bug (an S3 key, a stream) must not be recorded as the host's bad file.
  if (!Buffer.isBuffer(input)) throw new TypeError("processPhoto expects the file's bytes");
  if (input.length > MAX_UPLOAD_BYTES) {
    throw new PhotoRejected("TOO_LARGE", `${input.length} bytes, over ${MAX_UPLOAD_BYTES}`);
  }
  const source = await inspect(input);
  if (!withinDecodeBudget(source.width * source.height, input.length)) {
    throw new PhotoRejected(
      "TOO_MANY_PIXELS",
      `${source.width}×${source.height} pixels from ${input.length} bytes: over the decode budget`,
    );
  }
  const pixels = await decodeUpright(input, widest);

  // A small original gives several variants of the same width: encode each width once.
  const encodes = new Map<number, Promise<Encoded>>();
  const encodeAt = (width: number) => {
    const target = Math.min(width, pixels.width);
    let encode = encodes.get(target);
    if (!encode) {
      encode = encodeWebp(pixels, target, webp);
      encodes.set(target, encode);
    }
    return encode;
  };
  const [variants, placeholder] = await Promise.all([
    Promise.all(VARIANTS.map(async ({ name, width }) => ({ name, ...(await encodeAt(width)) }))),
    placeholderOf(pixels),
  ]);
  return {
    format: source.format,
    width: source.width,
    height: source.height,
    variants,
    placeholder,
  };
}

type Encoded = Omit<ProcessedVariant, "name">;

async function encodeWebp(pixels: RawPhoto, width: number, webp: WebpSettings): Promise<Encoded> {
  const image = fromRaw(pixels);
  if (width < pixels.width) image.resize({ width });
  const { data, info } = await image
    .webp({ quality: webp.quality, effort: webp.effort })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, bytes: data.length, body: data };
}
