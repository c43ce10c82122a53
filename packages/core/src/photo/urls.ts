import { runtime } from "../runtime.js";
import { variantKey } from "../storage.js";
import type { Photo } from "./schema.js";

interface StoredVariant {
  name: Photo["variants"][number]["name"];
  width: number;
  height: number;
  bytes: number;
}

/** Where a browser fetches a variant: `${IMAGES_BASE_URL}/images/{listingId}/{imageId}/{name}.webp`. */
export function variantUrl(listingId: string, imageId: string, variant: string): string {
  const base = runtime().config.IMAGES_BASE_URL;
  if (!base) throw new Error("IMAGES_BASE_URL is not set: this function cannot show photos");
  return `${base}/${variantKey(listingId, imageId, variant)}`;
}

export function withUrls(
  listingId: string,
  imageId: string,
  variants: readonly StoredVariant[] | undefined,
): Photo["variants"] {
  return (variants ?? []).map((v) => ({ ...v, url: variantUrl(listingId, imageId, v.name) }));
}

interface StoredPhoto {
  imageId: string;
  caption?: string;
  width: number;
  height: number;
  placeholder: string;
  variants?: readonly StoredVariant[];
}

/** The listing item's READY summary as the API shows it. */
export function toPhotos(item: { listingId: string; photos?: readonly StoredPhoto[] }): Photo[] {
  return (item.photos ?? []).map((photo) => ({
    imageId: photo.imageId,
    ...(photo.caption ? { caption: photo.caption } : {}),
    width: photo.width,
    height: photo.height,
    placeholder: photo.placeholder,
    variants: withUrls(item.listingId, photo.imageId, photo.variants),
  }));
}
