export * as Photos from "./index.js";

import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import type { Actor } from "../actor.js";
import { failedConditions, type TransactItem, transactWrite } from "../dynamo.js";
import { Conflict, NotFound, ValidationError } from "../errors.js";
import { newId } from "../ids.js";
import { loadOwned } from "../listing/access.js";
import { type ListingItem, listingEntity } from "../listing/entity.js";
import { releasePending, takeUpload, transact as withQuota } from "../quota/index.js";
import { bucketName, s3Client } from "../s3.js";
import { uploadKey } from "../storage.js";
import { parseInput } from "../validation.js";
import { listingPhotoEntity, sweepKeys } from "./entity.js";
import {
  deletePhotoObjects,
  infosOf,
  photoSetChange,
  photosOf,
  refreshPhotos,
  toPhotoInfo,
} from "./records.js";
import {
  MAX_PHOTOS_PER_LISTING,
  OrderInput,
  PhotoId,
  type PhotoInfo,
  UPLOAD_EXPIRY_SECONDS,
  UploadRequest,
  type UploadTicket,
} from "./schema.js";

export * from "./schema.js";
export { refreshPhotos };

/** More photos than a listing may have. */
export class PhotoLimitReached extends Conflict {
  override readonly code = "PHOTO_LIMIT";
}

const now = () => new Date().toISOString();

// Listings a guest or an admin may be looking at keep at least one photo.
const NEEDS_A_PHOTO = new Set<ListingItem["status"]>([
  "IN_REVIEW",
  "APPROVED",
  "ONLINE",
  "OFFLINE",
]);

/**
 * The presigned POST for one upload. The policy is the only thing between a browser and the
 * bucket, so it pins the key, the exact content type and the exact length, and expires soon.
 * (s3rver does not enforce it; AWS does. The processor re-checks size and format anyway.)
 */
export async function uploadPolicy(input: {
  key: string;
  contentType: string;
  contentLength: number;
  expiresInSeconds?: number;
}) {
  return createPresignedPost(s3Client(), {
    Bucket: bucketName(),
    Key: input.key,
    Conditions: [
      ["content-length-range", input.contentLength, input.contentLength],
      ["eq", "$Content-Type", input.contentType],
    ],
    Fields: { "Content-Type": input.contentType },
    Expires: input.expiresInSeconds ?? UPLOAD_EXPIRY_SECONDS,
  });
}

/** `POST .../images`: records a PENDING_UPLOAD photo and returns where to POST the file. */
export async function requestUpload(
  actor: Actor,
  hostId: string,
  listingId: string,
  input: unknown,
): Promise<UploadTicket> {
  const listing = await loadOwned(actor, hostId, listingId);
  const request = parseInput(UploadRequest, input);
  if (listing.status === "ARCHIVED") throw new Conflict("The listing is archived");
  const at = new Date();
  const expiresAt = new Date(at.getTime() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString();
  const image = {
    listingId,
    imageId: newId("image"),
    hostId,
    status: "PENDING_UPLOAD" as const,
    // Appended: later than any earlier upload, and than any position a reorder gave (0..n).
    position: at.getTime(),
    ...(request.caption ? { caption: request.caption } : {}),
    contentType: request.contentType,
    contentLength: request.contentLength,
    createdAt: at.toISOString(),
    uploadExpiresAt: expiresAt,
    updatedAt: at.toISOString(),
  };
  const imageItem = { ...image, ...sweepKeys(expiresAt, image.imageId) };
  const slot = {
    Update: listingEntity()
      .patch({ listingId })
      .add({ imageCount: 1, photosRev: 1 })
      .where(
        (attr, { lt, notExists, ne }) =>
          `(${notExists(attr.imageCount)} OR ${lt(attr.imageCount, MAX_PHOTOS_PER_LISTING)}) AND ${ne(attr.status, "ARCHIVED")}`,
      )
      .params(),
  };
  try {
    // The host's quotas (upload requests this hour, pending uploads) count in the same write.
    await withQuota(
      hostId,
      takeUpload(hostId),
      [slot, { Put: listingPhotoEntity().create(imageItem).params() }],
      at,
    );
  } catch (error) {
    if (!failedConditions(error).includes(0)) throw error;
    const current = await loadOwned(actor, hostId, listingId);
    if (current.status === "ARCHIVED") throw new Conflict("The listing is archived");
    throw new PhotoLimitReached(
      `A listing has at most ${MAX_PHOTOS_PER_LISTING} photos; delete one first`,
      { limit: MAX_PHOTOS_PER_LISTING },
    );
  }
  const { url, fields } = await uploadPolicy({
    key: uploadKey({ hostId, listingId, imageId: image.imageId }),
    contentType: request.contentType,
    contentLength: request.contentLength,
  });
  return { image: toPhotoInfo(image, undefined), upload: { url, fields, expiresAt } };
}

/** `GET .../images`: every photo of the listing in any status, in display order. */
export async function list(actor: Actor, hostId: string, listingId: string): Promise<PhotoInfo[]> {
  await loadOwned(actor, hostId, listingId);
  return infosOf(await photosOf(listingId));
}

/** Retries an operation on the photo set when a concurrent change moved `photosRev`. */
async function onLatestPhotoSet<T>(operation: () => Promise<T | typeof RETRY>): Promise<T> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = await operation();
    if (result !== RETRY) return result;
  }
  throw new Conflict("The listing's photos are changing too often; try again");
}
const RETRY = Symbol("retry");

/**
 * `DELETE .../images/{imageId}`: the record, its upload and its variants. A listing under
 * review or live keeps at least one READY photo, like it keeps its other required fields.
 */
export async function remove(
  actor: Actor,
  hostId: string,
  listingId: string,
  imageId: string,
): Promise<void> {
  const image = await onLatestPhotoSet(async () => {
    const listing = await loadOwned(actor, hostId, listingId);
    // A malformed id names no photo: 404 before DynamoDB sees an oversized key.
    if (!PhotoId.safeParse(imageId).success) throw new NotFound("Image", imageId);
    const { data: image } = await listingPhotoEntity().get({ listingId, imageId }).go({
      consistent: true,
    });
    if (!image) throw new NotFound("Image", imageId);
    const ready = listing.photos?.length ?? 0;
    if (image.status === "READY" && ready <= 1 && NEEDS_A_PHOTO.has(listing.status)) {
      throw new ValidationError(
        `A ${listing.status} listing needs at least one photo: add another before deleting this one`,
        { fields: { photos: ["at least one photo is required"] } },
      );
    }
    // Conditional on the status read: a photo the processor finished meanwhile freed its
    // pending slot itself, and must not free it twice.
    const deletion = listingPhotoEntity()
      .delete({ listingId, imageId })
      .where((attr, { eq }) => eq(attr.status, image.status))
      .params();
    try {
      await transactWrite([
        { Delete: deletion },
        photoSetChange(listing, true, -1),
        ...(image.sweepKey ? [releasePending(hostId)] : []),
      ]);
    } catch (error) {
      if (failedConditions(error).length) return RETRY;
      throw error;
    }
    return image;
  });
  await deletePhotoObjects(image);
  await refreshPhotos(listingId);
}

/** `PUT .../images/order`: `order` lists every photo of the listing; `cover` goes first. */
export async function reorder(
  actor: Actor,
  hostId: string,
  listingId: string,
  input: unknown,
): Promise<PhotoInfo[]> {
  const { order, cover: coverId } = parseInput(OrderInput, input);
  const ids = coverId ? [coverId, ...order.filter((id) => id !== coverId)] : order;
  await onLatestPhotoSet(async () => {
    const listing = await loadOwned(actor, hostId, listingId);
    const current = await photosOf(listingId);
    const known = new Set(current.map((i) => i.imageId));
    const unknown = ids.filter((id) => !known.has(id));
    const missing = [...known].filter((id) => !ids.includes(id));
    if (unknown.length || missing.length) {
      throw new ValidationError("`order` must list every photo of the listing exactly once", {
        fields: { order: ["must list every photo exactly once"] },
        unknown,
        missing,
      });
    }
    const moves: TransactItem[] = ids.map((imageId, position) => ({
      Update: listingPhotoEntity()
        .patch({ listingId, imageId })
        .set({ position, updatedAt: now() })
        .params(),
    }));
    try {
      await transactWrite([...moves, photoSetChange(listing, true)]);
    } catch (error) {
      if (failedConditions(error).length) return RETRY;
      throw error;
    }
    return undefined;
  });
  // The records the refresh just read, not a third read of them.
  return infosOf(await refreshPhotos(listingId));
}
