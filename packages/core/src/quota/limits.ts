import * as z from "zod";

/**
 * Per-host quotas: what one host may create, defined once here and enforced by core inside
 * the very transaction that creates the thing (a condition on a counter of the host item), so
 * concurrent requests cannot pass a limit between a read and a write. Admins raise a host's
 * limits (`Quota.setLimits`); everyone else gets the defaults. Pure: no entity, no config.
 *
 * Why these three, and these numbers (docs/photos.md, docs/listings.md):
 * - pendingUploads: photos requested and not yet processed. The processor runs 5 at a time
 *   for everyone; this is what bounds one host's share of its queue (30: a full listing's
 *   photos at once, MAX_PHOTOS_PER_LISTING).
 * - uploadRequestsPerHour: upload requests, per clock hour. Deleting a photo frees its
 *   listing slot and its pending slot, so without a rate a loop of request -> delete could
 *   keep the processor busy; 200 an hour is more than six listings' full photo sets.
 * - listings: listings ever created, ARCHIVED included. Archived listings are kept (support,
 *   audit), so they cost like live ones, and counting them is what stops a create -> archive
 *   loop; a rate would only slow it down. 200 is above the largest host we expect (and the
 *   seed's 100 per host); an admin raises it for a bigger one. It never frees by itself.
 */
export const QUOTA_NAMES = ["listings", "uploadRequestsPerHour", "pendingUploads"] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

export const DEFAULT_QUOTAS: Readonly<Record<QuotaName, number>> = {
  listings: 200,
  uploadRequestsPerHour: 200,
  pendingUploads: 30,
};

/** The highest limit an admin may set: a typo must not switch a quota off. */
export const MAX_QUOTA = 100_000;

export type QuotaLimits = Record<QuotaName, number>;

/** Limits in effect: the host's own where an admin set one, else the default. */
export function limitsOf(overrides: Partial<Record<QuotaName, number>> | undefined): QuotaLimits {
  return Object.fromEntries(
    QUOTA_NAMES.map((name) => [name, overrides?.[name] ?? DEFAULT_QUOTAS[name]]),
  ) as QuotaLimits;
}

/** The clock hour an upload request counts in: `2026-12-02T15`. */
export function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** When the hour `at` is in ends. */
export function endOfHour(at: Date): Date {
  const end = new Date(at);
  end.setUTCMinutes(60, 0, 0);
  return end;
}

const Limit = z.number().int().min(1).max(MAX_QUOTA).nullable();

/**
 * `PATCH /api/v1/admin/hosts/{hostId}/quotas`: the limits to change (`null`: back to the
 * default) and why, for the audit record.
 */
export const SetLimitsInput = z
  .strictObject({
    listings: Limit.optional(),
    uploadRequestsPerHour: Limit.optional(),
    pendingUploads: Limit.optional(),
    reason: z
      .string()
      .trim()
      .min(1, "must say why")
      .max(500)
      .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters"),
  })
  .refine((input) => QUOTA_NAMES.some((name) => input[name] !== undefined), {
    message: "must change at least one quota",
    path: ["listings"],
  });
export type SetLimitsInput = z.infer<typeof SetLimitsInput>;

/** One quota as the admin sees it. */
export const QuotaInfo = z.object({
  limit: z.number().int(),
  default: z.number().int(),
  used: z.number().int(),
});
export const HostQuotas = z.object({
  hostId: z.string(),
  quotas: z.record(z.enum(QUOTA_NAMES), QuotaInfo),
});
export type HostQuotas = z.infer<typeof HostQuotas>;
