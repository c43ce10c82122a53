import { Entity, type EntityConfiguration } from "electrodb";
import { lazyEntity } from "../dynamo.js";
import { TableSchema } from "../table.js";

/**
 * Addresses we never mail again: SES reported a permanent bounce or a complaint for them
 * (configuration-set events -> SNS -> the suppression function). Mailing them again hurts
 * the account's sending reputation, and past AWS's bounce and complaint thresholds SES
 * pauses sending for the whole account. Keyed by the lower-cased address.
 */
export const SUPPRESSION_REASONS = ["BOUNCE", "COMPLAINT"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

const defineSuppressedAddressEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "suppressedAddress", version: "1", service: "localstays" },
      attributes: {
        address: { type: "string", required: true, readOnly: true },
        reason: { type: SUPPRESSION_REASONS, required: true },
        /** SES's feedback id of the event that caused it (for support questions). */
        feedbackId: { type: "string" },
        suppressedAt: { type: "string", required: true },
      },
      indexes: {
        primary: {
          pk: { field: TableSchema.primaryIndex.partitionKey, composite: ["address"] },
          sk: { field: TableSchema.primaryIndex.sortKey, composite: [] },
        },
      },
    },
    config,
  );

export const suppressedAddressEntity = lazyEntity(defineSuppressedAddressEntity);

export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** Records (or re-records) an address as suppressed; idempotent for SNS's redeliveries. */
export async function suppress(
  address: string,
  reason: SuppressionReason,
  feedbackId?: string,
): Promise<void> {
  await suppressedAddressEntity()
    .put({
      address: normaliseAddress(address),
      reason,
      suppressedAt: new Date().toISOString(),
      ...(feedbackId ? { feedbackId } : {}),
    })
    .go();
}

export async function isSuppressed(address: string): Promise<boolean> {
  const { data } = await suppressedAddressEntity()
    .get({ address: normaliseAddress(address) })
    .go({ consistent: true });
  return data !== null;
}

/** What SES publishes to SNS for a configuration set's BOUNCE and COMPLAINT events. */
export interface SesEvent {
  eventType?: string;
  notificationType?: string;
  bounce?: {
    bounceType?: string;
    feedbackId?: string;
    bouncedRecipients?: { emailAddress: string }[];
  };
  complaint?: { feedbackId?: string; complainedRecipients?: { emailAddress: string }[] };
}

/**
 * The addresses an SES event asks us to stop mailing: every recipient of a permanent bounce
 * (a transient one, a full mailbox, may deliver later) and of a complaint.
 */
export function suppressionsOf(
  event: SesEvent,
): { address: string; reason: SuppressionReason; feedbackId?: string }[] {
  const type = event.eventType ?? event.notificationType;
  if (type === "Bounce" && event.bounce?.bounceType === "Permanent") {
    const { feedbackId } = event.bounce;
    return (event.bounce.bouncedRecipients ?? []).map(({ emailAddress }) => ({
      address: normaliseAddress(emailAddress),
      reason: "BOUNCE" as const,
      ...(feedbackId ? { feedbackId } : {}),
    }));
  }
  if (type === "Complaint") {
    const feedbackId = event.complaint?.feedbackId;
    return (event.complaint?.complainedRecipients ?? []).map(({ emailAddress }) => ({
      address: normaliseAddress(emailAddress),
      reason: "COMPLAINT" as const,
      ...(feedbackId ? { feedbackId } : {}),
    }));
  }
  return [];
}
