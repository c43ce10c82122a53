/**
 * Bucket layout, shared by the stacks (lifecycle rule, upload notification, grants, CDN
 * origin), the code that signs uploads and the photo processor, so each prefix is written once.
 */
/** Browser uploads land under this prefix (presigned POST); the photo processor reads them. */
export const UPLOAD_PREFIX = "uploads/";
/**
 * Processed, web-ready variants; the only prefix guests can read (through the CDN). The value
 * keeps the deployed name `images/` (renaming it would move every stored variant).
 */
export const PHOTOS_PREFIX = "images/";

export interface UploadRef {
  hostId: string;
  listingId: string;
  imageId: string;
}

/** `uploads/{hostId}/{listingId}/{imageId}`: the object a presigned POST may create. */
export function uploadKey({ hostId, listingId, imageId }: UploadRef): string {
  return `${UPLOAD_PREFIX}${hostId}/${listingId}/${imageId}`;
}

/**
 * The ids in an upload key, or undefined for any other key. Keys come from S3 events, so
 * they are checked, not trusted: exactly three segments of id characters.
 */
export function parseUploadKey(key: string): UploadRef | undefined {
  if (!key.startsWith(UPLOAD_PREFIX)) return undefined;
  const parts = key.slice(UPLOAD_PREFIX.length).split("/");
  if (parts.length !== 3 || !parts.every((part) => /^[0-9A-Za-z_-]{1,64}$/.test(part))) {
    return undefined;
  }
  const [hostId, listingId, imageId] = parts as [string, string, string];
  return { hostId, listingId, imageId };
}

/** `images/{listingId}/{imageId}/{variant}.webp` */
export function variantKey(listingId: string, imageId: string, variant: string): string {
  return `${PHOTOS_PREFIX}${listingId}/${imageId}/${variant}.webp`;
}
