import { Entity, type EntityConfiguration, type EntityItem } from "electrodb";
import { lazyEntity } from "../dynamo.js";
import { TableSchema } from "../table.js";
import { FAILURE_REASONS, UPLOAD_CONTENT_TYPES, VARIANTS } from "./formats.js";
import { PHOTO_STATUSES } from "./schema.js";

const { primaryIndex } = TableSchema;
const { GSI2 } = TableSchema.globalIndexes;

/**
 * The sweeper's sparse key: only PENDING_UPLOAD photos carry it (on GSI2, by expiry), so the
 * sweeper queries exactly the overdue ones (sweep.ts). Its presence also says the photo holds
 * one of its host's pending-upload slots (quota/), which leaving PENDING_UPLOAD frees.
 */
export const PENDING_SWEEP_KEY = "$localstays#pendingupload";
export const sweepKeys = (uploadExpiresAt: string, imageId: string) => ({
  sweepKey: PENDING_SWEEP_KEY,
  sweepSort: `${uploadExpiresAt}#${imageId}`,
});

/** What is stored of a variant; its URL is derived from the key when it is shown. */
export const variantAttribute = {
  type: "list",
  items: {
    type: "map",
    properties: {
      name: { type: VARIANTS.map((v) => v.name), required: true },
      width: { type: "number", required: true },
      height: { type: "number", required: true },
      bytes: { type: "number", required: true },
    },
  },
} as const;

/**
 * One item per photo, in its listing's partition (same pk as the listing item, sort key
 * `$listingimage_1#imageid_...`), so a listing's photos are one Query and never a second
 * index. The listing item carries the counters and the READY summary (listing/entity.ts).
 */
const defineListingPhotoEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "listingImage", version: "1", service: "localstays" },
      attributes: {
        listingId: { type: "string", required: true, readOnly: true },
        imageId: { type: "string", required: true, readOnly: true },
        hostId: { type: "string", required: true, readOnly: true },
        status: { type: PHOTO_STATUSES, required: true },
        position: { type: "number", required: true },
        caption: { type: "string" },
        /** As declared by the host; the processor trusts neither. */
        contentType: { type: UPLOAD_CONTENT_TYPES, required: true, readOnly: true },
        contentLength: { type: "number", required: true, readOnly: true },
        createdAt: { type: "string", required: true, readOnly: true },
        uploadExpiresAt: { type: "string", required: true, readOnly: true },
        updatedAt: { type: "string", required: true },
        processedAt: { type: "string" },
        failureReason: { type: FAILURE_REASONS },
        /** The upright original's size and format, as read from the bytes. */
        width: { type: "number" },
        height: { type: "number" },
        format: { type: "string" },
        placeholder: { type: "string" },
        variants: variantAttribute,
        sweepKey: { type: "string", field: GSI2.partitionKey },
        sweepSort: { type: "string", field: GSI2.sortKey },
      },
      indexes: {
        primary: {
          pk: { field: primaryIndex.partitionKey, composite: ["listingId"] },
          sk: { field: primaryIndex.sortKey, composite: ["imageId"] },
        },
      },
    },
    config,
  );

export const listingPhotoEntity = lazyEntity(defineListingPhotoEntity);

export type ListingPhotoItem = EntityItem<ReturnType<typeof listingPhotoEntity>>;
