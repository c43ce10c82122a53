export * as Quota from "./index.js";

import { type Actor, assertAdmin } from "../actor.js";
import { failedConditions, type TransactItem, transactWrite } from "../dynamo.js";
import { NotFound, QuotaExceeded } from "../errors.js";
import { hostEntity } from "../host/entity.js";
import { listingEntity } from "../listing/entity.js";
import { PENDING_SLOT_MAX_SECONDS } from "../photo/schema.js";
import { parseInput } from "../validation.js";
import {
  type HostQuotaItem,
  hostQuotaEntity,
  type QuotaChangeItem,
  quotaChangeEntity,
} from "./entity.js";
import {
  DEFAULT_QUOTAS,
  endOfHour,
  type HostQuotas,
  hourOf,
  limitsOf,
  QUOTA_NAMES,
  type QuotaName,
  SetLimitsInput,
} from "./limits.js";

export * from "./limits.js";

/**
 * The per-host quotas at work (limits.ts says which and why). A `take*` function returns the
 * transaction item that counts one new thing against its quota, conditional on the limit;
 * `transact` writes it together with the items that create the thing, so the count and the
 * thing are written together or not at all, and concurrent requests cannot pass a limit.
 */
export type Take = (
  quota: HostQuotaItem | undefined,
  at: Date,
) => TransactItem | Promise<TransactItem>;

export async function read(hostId: string): Promise<HostQuotaItem | undefined> {
  const { data } = await hostQuotaEntity().get({ hostId }).go({ consistent: true });
  return data ?? undefined;
}

function exceeded(quota: QuotaName, limit: number, used: number, freesAt: Date | null, at: Date) {
  const when = freesAt ? `it frees by ${freesAt.toISOString()}` : "an admin can raise it";
  return new QuotaExceeded(`The ${quota} quota is used up (${used} of ${limit}); ${when}`, {
    quota,
    limit,
    used,
    freesAt: freesAt?.toISOString() ?? null,
    ...(freesAt
      ? { retryAfterSeconds: Math.max(1, Math.ceil((freesAt.getTime() - at.getTime()) / 1000)) }
      : {}),
  });
}

/** Every listing of the host, ARCHIVED included (the owner index has them all). */
async function countListings(hostId: string): Promise<number> {
  const { data } = await listingEntity()
    .query.byOwner({ hostId })
    .go({ pages: "all", attributes: ["listingId"] });
  return data.length;
}

/**
 * One more listing; throws QuotaExceeded at the limit (it never frees by itself). A host
 * without a listing count (its first listing, or one from before quotas existed) is counted
 * once here, from its listings: the count is set only if it still does not exist, so a
 * concurrent first create makes this one read again and add to that count instead.
 */
export const takeListing =
  (hostId: string): Take =>
  async (quota, at) => {
    const limit = limitsOf(quota?.limits).listings;
    const counted = quota?.listings;
    const used = counted ?? (await countListings(hostId));
    if (used >= limit) throw exceeded("listings", limit, used, null, at);
    const update = hostQuotaEntity().update({ hostId });
    return {
      Update:
        counted === undefined
          ? update
              .set({ listings: used + 1 })
              .where((a, { notExists }) => notExists(a.listings))
              .params()
          : update
              .add({ listings: 1 })
              .where((a, { lt }) => lt(a.listings, limit))
              .params(),
    };
  };

/**
 * One more upload request in this clock hour, and one more pending upload. The pending slot
 * frees when the processor is done with the photo (seconds), when the host deletes it, or at
 * the latest when the sweeper expires it: that latest time is what the refusal names.
 */
export const takeUpload =
  (hostId: string): Take =>
  (quota, at) => {
    const limits = limitsOf(quota?.limits);
    const hour = hourOf(at);
    const sameHour = quota?.uploadHour === hour;
    const inHour = sameHour ? (quota?.uploadsInHour ?? 0) : 0;
    const pending = quota?.pendingUploads ?? 0;
    if (inHour >= limits.uploadRequestsPerHour) {
      throw exceeded(
        "uploadRequestsPerHour",
        limits.uploadRequestsPerHour,
        inHour,
        endOfHour(at),
        at,
      );
    }
    if (pending >= limits.pendingUploads) {
      const freesAt = new Date(at.getTime() + PENDING_SLOT_MAX_SECONDS * 1000);
      throw exceeded("pendingUploads", limits.pendingUploads, pending, freesAt, at);
    }
    const update = hostQuotaEntity().update({ hostId });
    const counted = sameHour
      ? update.add({ uploadsInHour: 1, pendingUploads: 1 })
      : update.set({ uploadHour: hour, uploadsInHour: 1 }).add({ pendingUploads: 1 });
    return {
      Update: counted
        .where((a, { eq, notExists, lt }) =>
          [
            `(${notExists(a.pendingUploads)} OR ${lt(a.pendingUploads, limits.pendingUploads)})`,
            sameHour
              ? `${eq(a.uploadHour, hour)} AND ${lt(a.uploadsInHour, limits.uploadRequestsPerHour)}`
              : quota?.uploadHour === undefined
                ? notExists(a.uploadHour)
                : eq(a.uploadHour, quota.uploadHour),
          ].join(" AND "),
        )
        .params(),
    };
  };

/** A pending upload is done (processed, deleted or expired): its slot frees. */
export function releasePending(hostId: string): TransactItem {
  return { Update: hostQuotaEntity().update({ hostId }).add({ pendingUploads: -1 }).params() };
}

/**
 * Writes `items` plus the quota item `take` builds from a fresh read, as one transaction. A
 * quota condition that fails means a concurrent request counted first: read again, which
 * either refuses (QuotaExceeded) or tries again. Any other failure is the caller's.
 */
export async function transact(
  hostId: string,
  take: Take,
  items: TransactItem[],
  at = new Date(),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const quotaItem = await take(await read(hostId), at);
    try {
      await transactWrite([...items, quotaItem]);
      return;
    } catch (error) {
      const failed = failedConditions(error);
      // The caller's own conditions come first: they decide (PHOTO_LIMIT, a stale version).
      if (!failed.includes(items.length) || failed.some((i) => i < items.length)) throw error;
      if (attempt === 5) throw error;
    }
  }
}

async function usage(hostId: string, at = new Date()): Promise<HostQuotas> {
  const quota = await read(hostId);
  const limits = limitsOf(quota?.limits);
  const used: Record<QuotaName, number> = {
    listings: quota?.listings ?? 0,
    uploadRequestsPerHour: quota?.uploadHour === hourOf(at) ? (quota?.uploadsInHour ?? 0) : 0,
    pendingUploads: quota?.pendingUploads ?? 0,
  };
  return {
    hostId,
    quotas: Object.fromEntries(
      QUOTA_NAMES.map((name) => [
        name,
        { limit: limits[name], default: DEFAULT_QUOTAS[name], used: used[name] },
      ]),
    ) as HostQuotas["quotas"],
  };
}

/**
 * `PATCH /api/v1/admin/hosts/{hostId}/quotas`: an admin sets (or, with null, resets) a
 * host's limits. Audited: the change and its audit record (who, when, why, before, after) are
 * one transaction, conditional on the limits the admin's change was computed from.
 */
export async function setLimits(actor: Actor, hostId: string, input: unknown): Promise<HostQuotas> {
  assertAdmin(actor);
  const change = parseInput(SetLimitsInput, input);
  const { data: host } = await hostEntity().get({ hostId }).go();
  if (!host) throw new NotFound("Host", hostId);
  for (let attempt = 1; ; attempt++) {
    const current = await read(hostId);
    const before = current?.limits ?? {};
    const after: Partial<Record<QuotaName, number>> = { ...before };
    for (const name of QUOTA_NAMES) {
      const value = change[name];
      if (value === null) delete after[name];
      else if (value !== undefined) after[name] = value;
    }
    const audit = quotaChangeEntity()
      .create({
        hostId,
        changedAt: new Date().toISOString(),
        changedBy: actor.sub,
        reason: change.reason,
        before,
        after,
      })
      .params();
    const rev = current?.limitsRev;
    const limits = hostQuotaEntity()
      .update({ hostId })
      .set({ limits: after })
      .add({ limitsRev: 1 })
      .where((a, { eq, notExists }) =>
        rev === undefined ? notExists(a.limitsRev) : eq(a.limitsRev, rev),
      )
      .params();
    try {
      await transactWrite([{ Put: audit }, { Update: limits }]);
      return usage(hostId);
    } catch (error) {
      if (!failedConditions(error).length || attempt === 3) throw error;
    }
  }
}

/** The audit trail of a host's quota changes, oldest first. */
export async function changes(hostId: string): Promise<QuotaChangeItem[]> {
  const { data } = await quotaChangeEntity().query.primary({ hostId }).go({ pages: "all" });
  return data;
}

/** A host's quotas: limits, defaults and what is used now (admins and the host itself). */
export { usage };
