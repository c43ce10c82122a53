import * as z from "zod";
import { PhotoId } from "../ids.js";
import { line } from "../text.js";
import { FAILURE_REASONS, MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPES, VARIANTS } from "./formats.js";

/**
 * The photo shapes shared by core, the handlers and the dashboard. Like listing/schema.ts it
 * loads no entity and no config, so it can be imported anywhere.
 */
export { PhotoId };

/** At most this many photos (in any status) per listing. */
export const MAX_PHOTOS_PER_LISTING = 30;
/** How long a presigned POST stays usable. */
export const UPLOAD_EXPIRY_SECONDS = 300;
/**
 * A photo still PENDING_UPLOAD this long after its POST expired is swept (FAILED, EXPIRED):
 * room for clock skew and for S3's event to reach the queue. One whose upload is in the
 * bucket is the processor's, whatever its age (image/sweep.ts).
 */
export const UPLOAD_SWEEP_MARGIN_SECONDS = 600;
/** How often the sweeper runs (stacks/Images.ts schedules it). */
export const UPLOAD_SWEEP_INTERVAL_MINUTES = 5;
/** The longest a pending upload whose file never came holds its host's pending slot. */
export const PENDING_SLOT_MAX_SECONDS =
  UPLOAD_EXPIRY_SECONDS + UPLOAD_SWEEP_MARGIN_SECONDS + UPLOAD_SWEEP_INTERVAL_MINUTES * 60;

export const PHOTO_STATUSES = ["PENDING_UPLOAD", "READY", "FAILED"] as const;
export const PhotoStatus = z.enum(PHOTO_STATUSES);
export type PhotoStatus = z.infer<typeof PhotoStatus>;

const VARIANT_NAMES = VARIANTS.map((v) => v.name) as [
  (typeof VARIANTS)[number]["name"],
  ...(typeof VARIANTS)[number]["name"][],
];

/** A single line, with the listing text's rules (text.ts): no control characters. */
const Caption = line(200);

export const UploadRequest = z.strictObject({
  contentType: z.enum(UPLOAD_CONTENT_TYPES, {
    error: () =>
      `must be one of ${UPLOAD_CONTENT_TYPES.join(", ")} (HEIC is not supported: export the photo as JPEG)`,
  }),
  contentLength: z
    .number()
    .int()
    .min(1)
    .max(MAX_UPLOAD_BYTES, `must be at most ${MAX_UPLOAD_BYTES} bytes (15 MiB)`),
  caption: Caption.optional(),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/** `PUT .../images/order`: every photo of the listing, in the new order; `cover` goes first. */
export const OrderInput = z
  .strictObject({
    order: z.array(PhotoId).min(1).max(MAX_PHOTOS_PER_LISTING),
    cover: PhotoId.optional(),
  })
  .refine((input) => new Set(input.order).size === input.order.length, {
    message: "must not repeat an image",
    path: ["order"],
  })
  .refine((input) => input.cover === undefined || input.order.includes(input.cover), {
    message: "must be one of the images in `order`",
    path: ["cover"],
  });
export type OrderInput = z.infer<typeof OrderInput>;

export const Variant = z.object({
  name: z.enum(VARIANT_NAMES),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  url: z.url(),
});

/** A READY photo as guests see it (and the listing views embed it), cover first. */
export const Photo = z.object({
  imageId: PhotoId,
  caption: z.string().optional(),
  width: z.number().int(),
  height: z.number().int(),
  /** A ThumbHash (base64) to paint while the variants load. */
  placeholder: z.string(),
  variants: z.array(Variant),
});
export type Photo = z.infer<typeof Photo>;

/** A photo as its host sees it, in any status. */
export const PhotoInfo = z.object({
  imageId: PhotoId,
  listingId: z.string(),
  status: PhotoStatus,
  position: z.number().int(),
  cover: z.boolean(),
  caption: z.string().optional(),
  contentType: z.enum(UPLOAD_CONTENT_TYPES),
  contentLength: z.number().int(),
  createdAt: z.iso.datetime(),
  /** PENDING_UPLOAD: after this the presigned POST no longer works; delete and ask again. */
  uploadExpiresAt: z.iso.datetime(),
  processedAt: z.iso.datetime().optional(),
  failureReason: z.enum(FAILURE_REASONS).optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  placeholder: z.string().optional(),
  variants: z.array(Variant).optional(),
});
export type PhotoInfo = z.infer<typeof PhotoInfo>;

/** The answer to an upload request: POST `fields` plus the file (last) to `url`. */
export const UploadTicket = z.object({
  image: PhotoInfo,
  upload: z.object({
    url: z.url(),
    fields: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  }),
});
export type UploadTicket = z.infer<typeof UploadTicket>;
