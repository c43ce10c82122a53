import { DeleteObjectsCommand } from "@aws-sdk/client-s3";
import { isConditionalCheckFailure } from "../dynamo.js";
import { type ListingItem, listingEntity } from "../listing/entity.js";
import { bucketName, s3Client } from "../s3.js";
import { uploadKey, variantKey } from "../storage.js";
import { type ListingPhotoItem, listingPhotoEntity } from "./entity.js";
import { VARIANTS } from "./formats.js";
import type { PhotoInfo } from "./schema.js";
import { withUrls } from "./urls.js";

/**
 * The photo records and the listing's view of them, shared by the host-facing service
 * (index.ts) and the processor (processing.ts).
 */
function byPosition(a: ListingPhotoItem, b: ListingPhotoItem): number {
  return a.position - b.position || a.imageId.localeCompare(b.imageId);
}

export function toPhotoInfo(item: ListingPhotoItem, coverId: string | undefined): PhotoInfo {
  return {
    imageId: item.imageId,
    listingId: item.listingId,
    status: item.status,
    position: item.position,
    cover: item.imageId === coverId,
    caption: item.caption,
    contentType: item.contentType,
    contentLength: item.contentLength,
    createdAt: item.createdAt,
    uploadExpiresAt: item.uploadExpiresAt,
    processedAt: item.processedAt,
    failureReason: item.failureReason,
    width: item.width,
    height: item.height,
    placeholder: item.placeholder,
    ...(item.variants ? { variants: withUrls(item.listingId, item.imageId, item.variants) } : {}),
  } as PhotoInfo;
}

/** Every photo record of a listing, in display order. */
export async function photosOf(listingId: string): Promise<ListingPhotoItem[]> {
  const { data } = await listingPhotoEntity()
    .query.primary({ listingId })
    .go({ pages: "all", consistent: true });
  return data.sort(byPosition);
}

const coverOf = (images: ListingPhotoItem[]) => images.find((i) => i.status === "READY")?.imageId;

/** A listing's photo records as its host sees them: the first READY one is the cover. */
export function infosOf(images: ListingPhotoItem[]): PhotoInfo[] {
  const coverId = coverOf(images);
  return images.map((image) => toPhotoInfo(image, coverId));
}

/** The conditions of a photo-set change: the listing exists, and optionally its set is unchanged. */
export function photoSetChange(listing: ListingItem, expectRev: boolean, photoCountDelta = 0) {
  const add: { photosRev: number; imageCount?: number } = { photosRev: 1 };
  if (photoCountDelta) add.imageCount = photoCountDelta;
  return {
    Update: listingEntity()
      .patch({ listingId: listing.listingId })
      .add(add)
      .where((attr, { eq, notExists }) =>
        expectRev
          ? listing.photosRev === undefined
            ? notExists(attr.photosRev)
            : eq(attr.photosRev, listing.photosRev)
          : "",
      )
      .params(),
  };
}

export async function deletePhotoObjects(
  image: Pick<ListingPhotoItem, "hostId" | "listingId" | "imageId">,
) {
  const { hostId, listingId, imageId } = image;
  const keys = [
    uploadKey({ hostId, listingId, imageId }),
    ...VARIANTS.map((v) => variantKey(listingId, imageId, v.name)),
  ];
  await s3Client().send(
    new DeleteObjectsCommand({
      Bucket: bucketName(),
      Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
    }),
  );
}

/**
 * Rewrites the listing's READY summary (`photos`) from the photo records. Conditional on the
 * photo-set revision it read, so a summary built from a stale read never overwrites a newer
 * one; every change to the set calls this after its own write. Returns the photo records it
 * read last, in display order.
 */
export async function refreshPhotos(listingId: string): Promise<ListingPhotoItem[]> {
  let images: ListingPhotoItem[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const { data: listing } = await listingEntity().get({ listingId }).go({ consistent: true });
    if (!listing) return [];
    images = await photosOf(listingId);
    const ready = images.filter((i) => i.status === "READY");
    const photos = ready.map((i) => ({
      imageId: i.imageId,
      ...(i.caption ? { caption: i.caption } : {}),
      width: i.width ?? 0,
      height: i.height ?? 0,
      placeholder: i.placeholder ?? "",
      variants: i.variants ?? [],
    }));
    try {
      await listingEntity()
        .patch({ listingId })
        .set({ photos })
        .where((attr, { eq, notExists }) =>
          listing.photosRev === undefined
            ? notExists(attr.photosRev)
            : eq(attr.photosRev, listing.photosRev),
        )
        .go();
      return images;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
  // Five newer changes in a row: the latest of them refreshes after its own write.
  return images;
}
