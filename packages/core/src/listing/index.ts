export * as Listing from "./index.js";

import { type Actor, assertAdmin, assertCanActFor, isAdmin } from "../actor.js";
import { NotFound, PhotosChanged, ValidationError, VersionConflict } from "../errors.js";
import { hostEntity } from "../host/entity.js";
import { newId } from "../ids.js";
import { outboxPut } from "../mail/outbox.js";
import { ANONYMOUS_READ_BUDGET, type Page, queryPage } from "../paging.js";
import { takeListing, transact as withQuota } from "../quota/index.js";
import { parseInput } from "../validation.js";
import { load, loadOwned } from "./access.js";
import { cityKey } from "./city.js";
import { type ListingItem, listingEntity } from "./entity.js";
import {
  ApproveInput,
  ApproveRequest,
  CONTENT_FIELDS,
  CreateInput,
  type Field,
  HostListQuery,
  type Info,
  type PublicInfo,
  RejectInput,
  ReviewQueueQuery,
  SearchQuery,
  UpdateInput,
  Version,
} from "./schema.js";
import { transition } from "./status.js";
import { parsePage, toInfo, toPublic } from "./views.js";
import {
  act,
  assertComplete,
  NO_CITY,
  now,
  type Removable,
  StaleWrite,
  type Writable,
  write,
} from "./writes.js";

export * from "./schema.js";
export { ACTIONS, type Action, allowedActions, STATUSES, type Status } from "./status.js";
export { toInfo, toPublic } from "./views.js";

/**
 * The listing operations, by caller: host (owner or admin), admin, public. Views are in
 * views.ts, the conditional write path in writes.ts.
 */

// ---- Host operations (owner or admin) ----

export async function create(actor: Actor, hostId: string, input: unknown): Promise<Info> {
  assertCanActFor(actor, hostId);
  const fields = parseInput(CreateInput, input ?? {});
  if (isAdmin(actor) && actor.hostId !== hostId) {
    const { data: host } = await hostEntity().get({ hostId }).go();
    if (!host) throw new NotFound("Host", hostId);
  }
  const at = now();
  const created = listingEntity()
    .create({
      ...fields,
      listingId: newId("listing"),
      hostId,
      listingName: fields.listingName ?? "",
      amenities: fields.amenities ?? [],
      status: "DRAFT",
      statusChangedAt: at,
      cityKey: fields.address ? cityKey(fields.address.city) : NO_CITY,
      version: 1,
      createdAt: at,
      updatedAt: at,
    })
    .params();
  // Counted against the host's listings quota in the same write (quota/limits.ts).
  await withQuota(hostId, takeListing(hostId), [{ Put: created }]);
  return toInfo(listingEntity().parse({ Item: created.Item }).data as ListingItem);
}

export async function get(actor: Actor, hostId: string, listingId: string): Promise<Info> {
  return toInfo(await loadOwned(actor, hostId, listingId));
}

/** A host's listings, newest first; ARCHIVED ones only when asked for by status. */
export async function list(actor: Actor, hostId: string, query: unknown): Promise<Page<Info>> {
  assertCanActFor(actor, hostId);
  const { status, limit, cursor } = parseInput(HostListQuery, query ?? {});
  const input = listingEntity()
    .query.byOwner({ hostId })
    .where((attr, { eq, ne }) => (status ? eq(attr.status, status) : ne(attr.status, "ARCHIVED")))
    .params({ order: "desc" });
  return parsePage(await queryPage(input, { limit, cursor }), toInfo);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A PATCH with the version the client last read. Content changes on a reviewed listing send
 * it back to review (status.ts); a stale version is a VERSION_CONFLICT naming the current one.
 */
export async function update(
  actor: Actor,
  hostId: string,
  listingId: string,
  input: unknown,
  expectedVersion: unknown,
): Promise<Info> {
  const item = await loadOwned(actor, hostId, listingId);
  if (expectedVersion === undefined || expectedVersion === null) {
    throw new ValidationError("The expected version is required (body `version` or If-Match)", {
      fields: { version: ["is required"] },
    });
  }
  const version = parseInput(Version, expectedVersion);
  const changes = parseInput(UpdateInput, input);
  if (item.version !== version) throw new VersionConflict(version, item.version);

  const set: Writable = {};
  const remove: Removable[] = [];
  const changed: Field[] = [];
  for (const [field, value] of Object.entries(changes) as [Field, unknown][]) {
    if (same(value, item[field] ?? null)) continue;
    changed.push(field);
    if (value !== null) Object.assign(set, { [field]: value });
    else if (field === "listingName") set.listingName = "";
    else if (field === "amenities") set.amenities = [];
    else remove.push(field);
  }
  const contentChanged = changed.some((f) => (CONTENT_FIELDS as readonly string[]).includes(f));
  const to = transition(item.status, contentChanged ? "editContent" : "editDetails");
  if (to !== "DRAFT") {
    // Past the draft stage a listing stays as complete as when it was submitted: guests and
    // the admin never see one without a price or an address.
    const after = { ...item, ...set } as ListingItem;
    for (const field of remove) delete after[field];
    assertComplete(after);
  }
  if (to === "IN_REVIEW" && item.status !== "IN_REVIEW") set.submittedAt = now();
  try {
    return toInfo(await write(item, { status: to, set, remove }));
  } catch (error) {
    if (!(error instanceof StaleWrite)) throw error;
    const current = await load(listingId);
    if (!current) throw new NotFound("Listing", listingId);
    throw new VersionConflict(version, current.version);
  }
}

/** DELETE: the listing leaves search and the dashboard's default view; data is kept. */
export async function archive(actor: Actor, hostId: string, listingId: string): Promise<void> {
  const item = await loadOwned(actor, hostId, listingId);
  // Idempotent, as DELETE should be: a repeated call finds it archived already.
  if (item.status === "ARCHIVED") return;
  await act(() => loadOwned(actor, hostId, listingId), "archive", undefined, item);
}

export async function submit(actor: Actor, hostId: string, listingId: string): Promise<Info> {
  return act(
    () => loadOwned(actor, hostId, listingId),
    "submit",
    (item) => {
      assertComplete(item);
      return { set: { submittedAt: now() }, remove: ["review"] };
    },
  );
}

export async function publish(actor: Actor, hostId: string, listingId: string): Promise<Info> {
  return act(
    () => loadOwned(actor, hostId, listingId),
    "publish",
    () => ({
      set: { publishedAt: now() },
    }),
  );
}

export async function unpublish(actor: Actor, hostId: string, listingId: string): Promise<Info> {
  return act(() => loadOwned(actor, hostId, listingId), "unpublish");
}

// ---- Admin operations ----

async function loadForAdmin(actor: Actor, listingId: string): Promise<ListingItem> {
  assertAdmin(actor);
  const item = await load(listingId);
  if (!item) throw new NotFound("Listing", listingId);
  return item;
}

/**
 * IN_REVIEW -> APPROVED. With `photosRev` (required through the API: `approveReviewed`)
 * the approval is conditional on the photo set being the one the admin saw: a photo added,
 * processed, removed or reordered since is a 409 PHOTOS_CHANGED, re-checked in the write.
 */
export async function approve(actor: Actor, listingId: string, input?: unknown): Promise<Info> {
  const { note, photosRev } = parseInput(ApproveInput, input ?? undefined) ?? {};
  return act(
    () => loadForAdmin(actor, listingId),
    "approve",
    (item) => {
      if (photosRev !== undefined && (item.photosRev ?? 0) !== photosRev) {
        throw new PhotosChanged(photosRev, item.photosRev ?? 0);
      }
      return {
        set: {
          review: {
            decision: "APPROVED",
            ...(note ? { note } : {}),
            reviewedAt: now(),
            reviewedBy: actor.sub,
          },
        },
        ...(photosRev === undefined ? {} : { photosRev }),
        // The host's mail, in the decision's own transaction (mail/outbox.ts).
        also: [
          outboxPut({
            kind: "LISTING_APPROVED",
            hostId: item.hostId,
            listingId,
            listingName: item.listingName,
          }),
        ],
      };
    },
  );
}

/**
 * An admin's approval through the API: the request must name the photo set it reviewed
 * (`ApproveRequest`), so nothing reaches guests unseen.
 */
export async function approveReviewed(
  actor: Actor,
  listingId: string,
  body: unknown,
): Promise<Info> {
  assertAdmin(actor);
  return approve(actor, listingId, parseInput(ApproveRequest, body ?? {}));
}

export async function reject(actor: Actor, listingId: string, input: unknown): Promise<Info> {
  assertAdmin(actor);
  const { reason } = parseInput(RejectInput, input);
  return act(
    () => loadForAdmin(actor, listingId),
    "reject",
    (item) => ({
      set: { review: { decision: "REJECTED", reason, reviewedAt: now(), reviewedBy: actor.sub } },
      also: [
        outboxPut({
          kind: "LISTING_REJECTED",
          hostId: item.hostId,
          listingId,
          listingName: item.listingName,
          reason,
        }),
      ],
    }),
  );
}

/** Listings in one status (default IN_REVIEW), the longest-waiting first. */
export async function reviewQueue(actor: Actor, query: unknown): Promise<Page<Info>> {
  assertAdmin(actor);
  const { status, limit, cursor } = parseInput(ReviewQueueQuery, query ?? {});
  const input = listingEntity().query.byStatus({ status }).params({ order: "asc" });
  return parsePage(await queryPage(input, { limit, cursor }), toInfo);
}

// ---- Public operations (no caller) ----

/**
 * ONLINE listings in a city, newest listing first, via the sparse city index (GSI4): a Query,
 * never a Scan. Guest and price filters run in DynamoDB; pages stay full (paging.ts). Prices
 * compare in the listing's own currency's minor units.
 */
export async function search(query: unknown): Promise<Page<PublicInfo>> {
  const { city, guests, minPrice, maxPrice, limit, cursor } = parseInput(SearchQuery, query ?? {});
  const key = cityKey(city);
  if (!key)
    throw new ValidationError("The request is not valid", { fields: { city: ["is empty"] } });
  const input = listingEntity()
    .query.byCity({ cityKey: key })
    .where(({ capacity, pricing }, { gte, lte }) =>
      [
        guests === undefined ? "" : gte(capacity.guests, guests),
        minPrice === undefined ? "" : gte(pricing.nightlyPrice, minPrice),
        maxPrice === undefined ? "" : lte(pricing.nightlyPrice, maxPrice),
      ]
        .filter(Boolean)
        .join(" AND "),
    )
    .params({ order: "desc" });
  return parsePage(
    await queryPage(input, { limit, cursor, maxEvaluated: ANONYMOUS_READ_BUDGET }),
    toPublic,
  );
}

export async function getPublic(listingId: string): Promise<PublicInfo> {
  const item = await load(listingId);
  // Anything not ONLINE does not exist for guests.
  if (item?.status !== "ONLINE") throw new NotFound("Listing", listingId);
  return toPublic(item);
}
