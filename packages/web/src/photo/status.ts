import {
  type FailureReason,
  MAX_INPUT_PIXELS,
  MAX_UPLOAD_BYTES,
} from "@localstays/core/photo/formats";
import type { Photo, PhotoInfo } from "@localstays/core/photo/schema";

const MIB = 1024 * 1024;
const FAILURES: Record<FailureReason, string> = {
  UNSUPPORTED_FORMAT: "the file is not a JPEG, PNG, WebP or AVIF image",
  TOO_LARGE: `the file is larger than ${MAX_UPLOAD_BYTES / MIB} MB`,
  TOO_MANY_PIXELS: `the image has more than ${MAX_INPUT_PIXELS / 1_000_000} megapixels, or far more pixels than its file size suggests`,
  CORRUPT: "the file is damaged or incomplete",
  EXPIRED: "the upload did not arrive in time. Remove this photo and add it again",
};

/** A photo's state in plain words, for its host. */
export function photoStatusText(image: PhotoInfo, now: number): string {
  switch (image.status) {
    case "READY":
      return "Ready";
    case "FAILED":
      return `Could not be used: ${image.failureReason ? FAILURES[image.failureReason] : "the file was refused"}.`;
    case "PENDING_UPLOAD":
      return Date.parse(image.uploadExpiresAt) < now
        ? "The upload did not finish. Remove this photo and add it again."
        : "Processing…";
  }
}

/** Whether the list is worth asking for again: some upload may still be processed. */
export function awaitsProcessing(images: readonly PhotoInfo[], now: number): boolean {
  return images.some(
    (image) => image.status === "PENDING_UPLOAD" && Date.parse(image.uploadExpiresAt) >= now,
  );
}

/** `srcset` of a photo's variants, so the browser picks the smallest that fits. */
export function srcSetOf(photo: Pick<Photo, "variants">): string {
  return photo.variants.map((variant) => `${variant.url} ${variant.width}w`).join(", ");
}

/** The URL of the smallest variant at least `width` wide (else the largest). */
export function variantUrl(photo: Pick<Photo, "variants">, width: number): string | undefined {
  const byWidth = [...photo.variants].sort((a, b) => a.width - b.width);
  return (byWidth.find((variant) => variant.width >= width) ?? byWidth.at(-1))?.url;
}
