import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { failedConditions, transactWrite } from "../dynamo.js";
import { listingEntity } from "../listing/entity.js";
import { type Status, transition } from "../listing/status.js";
import { statusPatch } from "../listing/writes.js";
import { outboxPut } from "../mail/outbox.js";
import { releasePending } from "../quota/index.js";
import { bucketName, s3Client } from "../s3.js";
import { parseUploadKey, type UploadRef, uploadKey, variantKey } from "../storage.js";
import { type ListingPhotoItem, listingPhotoEntity } from "./entity.js";
import { type FailureReason, MAX_UPLOAD_BYTES } from "./formats.js";
import { PhotoRejected, type ProcessedPhoto, processPhoto } from "./pipeline.js";
import { deletePhotoObjects, refreshPhotos } from "./records.js";

/**
 * What the photo processor does with one uploaded object. Imported only by the processor
 * (and tools that process in-process, like the seed): it loads sharp, which the API
 * functions never bundle.
 *
 * Idempotent: S3 and SQS deliver at least once, so the same upload may arrive twice, even
 * at the same time. Only a PENDING_UPLOAD record is processed, and the READY/FAILED write is
 * conditional on it still being PENDING_UPLOAD: one state change, one set of variants (the
 * variant keys are fixed per photo, so a duplicate run rewrites the same objects).
 * A run that finds the upload gone has lost the race to one that finished and deleted it:
 * that is done too, once the record says so (`uploadGone`).
 */
export type Outcome =
  | {
      result: "READY";
      ref: UploadRef;
      variants: number /** Of the uploaded file. */;
      pixels: number;
    }
  | { result: "FAILED"; ref: UploadRef; reason: FailureReason }
  | { result: "SKIPPED"; key: string; why: string };

const now = () => new Date().toISOString();

/** Listings that passed review: a new visible photo sends them back to IN_REVIEW. */
const BACK_TO_REVIEW = new Set<Status>(["APPROVED", "ONLINE", "OFFLINE"]);

/** Variants never change under their key (a new photo gets a new id), so caches keep them. */
const IMMUTABLE = "public, max-age=31536000, immutable";

export async function processUpload(key: string): Promise<Outcome> {
  const ref = parseUploadKey(key);
  if (!ref) return { result: "SKIPPED", key, why: "not an upload key" };
  const { listingId, imageId, hostId } = ref;
  const { data: image } = await listingPhotoEntity().get({ listingId, imageId }).go({
    consistent: true,
  });
  if (!image || image.hostId !== hostId) {
    // Deleted while the upload was on its way (or never requested): nobody will use it.
    await deleteUpload(ref);
    return { result: "SKIPPED", key, why: "no such photo" };
  }
  if (image.status !== "PENDING_UPLOAD") {
    return { result: "SKIPPED", key, why: `already ${image.status}` };
  }

  const bucket = bucketName();
  let bytes: Buffer;
  try {
    // The real size, before downloading a byte: the presigned POST limits it in AWS, but
    // s3rver enforces no policy and the processor trusts nothing it did not check.
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if ((head.ContentLength ?? 0) > MAX_UPLOAD_BYTES) {
      return fail(image, ref, "TOO_LARGE");
    }
    const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!object.Body) throw new Error(`GetObject ${key} returned no body`);
    bytes = Buffer.from(await object.Body.transformToByteArray());
  } catch (error) {
    if (error instanceof NotFound || error instanceof NoSuchKey) return uploadGone(ref, key);
    throw error;
  }

  let processed: ProcessedPhoto;
  try {
    processed = await processPhoto(bytes);
  } catch (error) {
    if (error instanceof PhotoRejected) return fail(image, ref, error.reason);
    throw error; // not the file's fault: SQS delivers it again
  }

  await Promise.all(
    processed.variants.map((variant) =>
      s3Client().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: variantKey(listingId, imageId, variant.name),
          Body: variant.body,
          ContentType: "image/webp",
          CacheControl: IMMUTABLE,
        }),
      ),
    ),
  );
  const at = now();
  const ready = listingPhotoEntity()
    .patch({ listingId, imageId })
    .set({
      status: "READY",
      processedAt: at,
      updatedAt: at,
      width: processed.width,
      height: processed.height,
      format: processed.format,
      placeholder: processed.placeholder,
      variants: processed.variants.map(({ name, width, height, bytes }) => ({
        name,
        width,
        height,
        bytes,
      })),
    })
    .remove(["sweepKey", "sweepSort"])
    .where((attr, { eq }) => eq(attr.status, "PENDING_UPLOAD"))
    .params();
  // A photo becoming visible on a listing that passed review sends the listing back to
  // review in the same transaction (docs/photos.md, "Review"): guests never see a photo no
  // admin has seen. Conditional on the listing's version and status; a concurrent listing
  // write makes this re-read and re-decide.
  for (let attempt = 1; ; attempt++) {
    const { data: listing } = await listingEntity().get({ listingId }).go({ consistent: true });
    const photoSet =
      listing && BACK_TO_REVIEW.has(listing.status)
        ? statusPatch(listing, {
            status: transition(listing.status, "editContent"),
            set: { submittedAt: at },
            bumpPhotosRev: true,
          }).params()
        : listingEntity().patch({ listingId }).add({ photosRev: 1 }).params();
    try {
      await transactWrite([{ Update: ready }, { Update: photoSet }, ...freedSlot(image)]);
      break;
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed.length) throw error;
      if (failed.includes(0) || !listing) return lostRace(image, key);
      // The listing changed between the read and the write: SQS redelivers after three.
      if (attempt === 3) throw error;
    }
  }
  await deleteUpload(ref);
  await refreshPhotos(listingId);
  return {
    result: "READY",
    ref,
    variants: processed.variants.length,
    pixels: processed.width * processed.height,
  };
}

/** Leaving PENDING_UPLOAD frees the host's pending slot, if the photo held one (quota/). */
const freedSlot = (image: ListingPhotoItem) =>
  image.sweepKey ? [releasePending(image.hostId)] : [];

async function fail(image: ListingPhotoItem, ref: UploadRef, reason: FailureReason) {
  const { listingId, imageId } = image;
  const at = now();
  const failed = listingPhotoEntity()
    .patch({ listingId, imageId })
    .set({ status: "FAILED", failureReason: reason, processedAt: at, updatedAt: at })
    .remove(["sweepKey", "sweepSort"])
    .where((attr, { eq }) => eq(attr.status, "PENDING_UPLOAD"))
    .params();
  // The host's mail about it, in the same transaction: one FAILED, one mail (mail/outbox.ts).
  const notification = outboxPut({
    kind: "PHOTO_FAILED",
    hostId: image.hostId,
    listingId,
    photoId: imageId,
    photoFailure: reason,
  });
  try {
    await transactWrite([{ Update: failed }, notification, ...freedSlot(image)]);
  } catch (error) {
    // Only the photo's own condition means another processor got there first.
    if (!failedConditions(error).includes(0)) throw error;
    return lostRace(image, uploadKey(ref));
  }
  await deleteUpload(ref);
  return { result: "FAILED" as const, ref, reason };
}

/**
 * The record changed while this run worked: a duplicate delivery finished first (nothing to
 * undo: same keys, same bytes) or the host deleted the photo (its variants must not linger).
 */
async function lostRace(image: ListingPhotoItem, key: string): Promise<Outcome> {
  const { listingId, imageId } = image;
  const { data } = await listingPhotoEntity().get({ listingId, imageId }).go({ consistent: true });
  if (!data) await deletePhotoObjects(image);
  return { result: "SKIPPED", key, why: data ? `already ${data.status}` : "deleted meanwhile" };
}

/**
 * The upload is missing after its record said PENDING_UPLOAD. Every path that deletes an
 * upload first moves or deletes the record (READY/FAILED here, the record in
 * `Photos.remove`), so a fresh read tells which: a run that finished first (S3 or SQS
 * delivered the event twice, or another processor had the same object) or a deleted photo,
 * both done. A record still PENDING_UPLOAD with no upload has no such explanation: S3 reads
 * are strongly consistent, so the object is not "not there yet" but gone (deleted by hand or
 * by a lifecycle rule). That is thrown, not recorded as FAILED: no FailureReason blames the
 * file for it, and after three receives the message lands in the DLQ, whose alarm brings it
 * to an operator, while the host can still delete the photo and upload it again.
 */
async function uploadGone(ref: UploadRef, key: string): Promise<Outcome> {
  const { listingId, imageId } = ref;
  const { data } = await listingPhotoEntity().get({ listingId, imageId }).go({ consistent: true });
  if (!data) return { result: "SKIPPED", key, why: "deleted meanwhile" };
  if (data.status !== "PENDING_UPLOAD")
    return { result: "SKIPPED", key, why: `already ${data.status}` };
  throw new UploadMissing(key);
}

/** A PENDING_UPLOAD photo whose upload is not in the bucket (see `uploadGone`). */
export class UploadMissing extends Error {
  override name = "UploadMissing";
  constructor(readonly key: string) {
    super(
      `The upload ${key} is not in the bucket, yet its photo still waits for it (PENDING_UPLOAD)`,
    );
  }
}

async function deleteUpload(ref: UploadRef): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucketName(), Key: uploadKey(ref) }));
}
