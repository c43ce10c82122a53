import { Entity, type EntityConfiguration, type EntityItem } from "electrodb";
import { lazyEntity } from "../dynamo.js";
import { TableSchema } from "../table.js";

const { primaryIndex } = TableSchema;

const limitsAttribute = {
  type: "map",
  properties: {
    listings: { type: "number" },
    uploadRequestsPerHour: { type: "number" },
    pendingUploads: { type: "number" },
  },
} as const;

/**
 * A host's quota counters and limits, one item beside the host item (same partition, sort
 * key `$hostquota_1`): the counters change with every upload, and the host item's own
 * `updatedAt` (shown to the host) must not. Written only with ADD and conditions (limits.ts),
 * created by the first write that needs it.
 */
const defineHostQuotaEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "hostQuota", version: "1", service: "localstays" },
      attributes: {
        hostId: { type: "string", required: true, readOnly: true },
        /** Listings ever created, ARCHIVED included. */
        listings: { type: "number" },
        /** Photos requested and not yet READY, FAILED or deleted. */
        pendingUploads: { type: "number" },
        /** The clock hour `uploadsInHour` counts (`2026-12-02T15`). */
        uploadHour: { type: "string" },
        uploadsInHour: { type: "number" },
        /** Limits an admin set for this host; a missing one is the default. */
        limits: limitsAttribute,
        /** Bumped by every change of `limits`: their optimistic lock. */
        limitsRev: { type: "number" },
      },
      indexes: {
        primary: {
          pk: { field: primaryIndex.partitionKey, composite: ["hostId"] },
          sk: { field: primaryIndex.sortKey, composite: [] },
        },
      },
    },
    config,
  );

export const hostQuotaEntity = lazyEntity(defineHostQuotaEntity);
export type HostQuotaItem = EntityItem<ReturnType<typeof hostQuotaEntity>>;

/**
 * The audit trail of quota changes: who (the admin's Cognito subject), when, why, and the
 * limits before and after. Kept in the host's partition, never deleted.
 */
const defineQuotaChangeEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "quotaChange", version: "1", service: "localstays" },
      attributes: {
        hostId: { type: "string", required: true, readOnly: true },
        changedAt: { type: "string", required: true, readOnly: true },
        changedBy: { type: "string", required: true, readOnly: true },
        reason: { type: "string", required: true, readOnly: true },
        before: limitsAttribute,
        after: limitsAttribute,
      },
      indexes: {
        primary: {
          pk: { field: primaryIndex.partitionKey, composite: ["hostId"] },
          sk: { field: primaryIndex.sortKey, composite: ["changedAt"] },
        },
      },
    },
    config,
  );

export const quotaChangeEntity = lazyEntity(defineQuotaChangeEntity);
export type QuotaChangeItem = EntityItem<ReturnType<typeof quotaChangeEntity>>;
