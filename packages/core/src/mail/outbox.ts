import { Entity, type EntityConfiguration, type EntityItem } from "electrodb";
import { lazyEntity, type TransactItem } from "../dynamo.js";
import { newId } from "../ids.js";
import { FAILURE_REASONS, type FailureReason } from "../photo/formats.js";
import { TableSchema } from "../table.js";

/**
 * The outbox: a notification to a host is an item in the table, written in the same
 * transaction as the decision it reports (an admin's approval or rejection, a photo turning
 * FAILED). The decision and its mail can then never part: no decision without its
 * notification, no notification for a decision that did not happen. The table's stream
 * carries the new item to the delivery function (DynamoDB Streams -> Lambda in AWS; the
 * local stack polls DynamoDB Local's stream), which sends it once (delivery.ts).
 */
export const NOTIFICATION_KINDS = ["LISTING_APPROVED", "LISTING_REJECTED", "PHOTO_FAILED"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * PENDING: written, not sent. SENDING: a delivery holds it until `claimedUntil`. SENT: SES
 * accepted it. SKIPPED: nothing to send (the host turned review mails off, the address is
 * suppressed, the host is gone).
 */
export const OUTBOX_STATUSES = ["PENDING", "SENDING", "SENT", "SKIPPED"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * How long a delivery holds an item it is sending: as long as the delivery function may run
 * (its timeout, stacks/Mail.ts), so the claim of a run that crashed ends with it.
 */
export const CLAIM_SECONDS = 30;

/** ElectroDB's entity name, which it stores on every item (`__edb_e__`): the stream filter. */
export const OUTBOX_ENTITY = "outbox";

const defineOutboxEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: OUTBOX_ENTITY, version: "1", service: "localstays" },
      attributes: {
        outboxId: { type: "string", required: true, readOnly: true },
        kind: { type: NOTIFICATION_KINDS, required: true, readOnly: true },
        hostId: { type: "string", required: true, readOnly: true },
        listingId: { type: "string", required: true, readOnly: true },
        /** The listing's name when the decision was taken: the mail reports that decision. */
        listingName: { type: "string", readOnly: true },
        /** LISTING_REJECTED: the admin's words. */
        reason: { type: "string", readOnly: true },
        /** PHOTO_FAILED: the processor's reason, put in words by the template. */
        photoFailure: { type: FAILURE_REASONS, readOnly: true },
        photoId: { type: "string", readOnly: true },
        status: { type: OUTBOX_STATUSES, required: true },
        attempts: { type: "number", required: true },
        createdAt: { type: "string", required: true, readOnly: true },
        updatedAt: { type: "string", required: true },
        claimedUntil: { type: "string" },
        sentAt: { type: "string" },
        /** SES's message id. */
        messageId: { type: "string" },
        skippedBecause: { type: "string" },
        lastError: { type: "string" },
      },
      indexes: {
        primary: {
          pk: { field: TableSchema.primaryIndex.partitionKey, composite: ["outboxId"] },
          sk: { field: TableSchema.primaryIndex.sortKey, composite: [] },
        },
      },
    },
    config,
  );

export const outboxEntity = lazyEntity(defineOutboxEntity);
export type OutboxItem = EntityItem<ReturnType<typeof outboxEntity>>;

export type Notification =
  | { kind: "LISTING_APPROVED"; hostId: string; listingId: string; listingName: string }
  | {
      kind: "LISTING_REJECTED";
      hostId: string;
      listingId: string;
      listingName: string;
      reason: string;
    }
  | {
      kind: "PHOTO_FAILED";
      hostId: string;
      listingId: string;
      photoId: string;
      photoFailure: FailureReason;
    };

/**
 * The Put of a new outbox item, for the decision's own transaction (`transactWrite`). The id
 * is new per decision; a decision retried after losing a race writes a new transaction and
 * so a new item only if that transaction succeeds.
 */
export function outboxPut(notification: Notification, at = new Date().toISOString()): TransactItem {
  const params = outboxEntity()
    .create({
      ...notification,
      outboxId: newId("outbox"),
      status: "PENDING",
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    })
    .params();
  return { Put: params as Record<string, unknown> };
}
