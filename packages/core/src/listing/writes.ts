import {
  failedConditions,
  isConditionalCheckFailure,
  type TransactItem,
  transactWrite,
} from "../dynamo.js";
import { Conflict, ValidationError } from "../errors.js";
import { cityKey } from "./city.js";
import { missingForSubmit } from "./completeness.js";
import { type ListingItem, listingEntity } from "./entity.js";
import type { Info } from "./schema.js";
import { type Action, type Status, transition } from "./status.js";
import { toInfo } from "./views.js";

/**
 * The listing's conditional writes: every change goes through `write` (conditional on the
 * version and status read), status changes through `act` (which re-reads and re-decides when
 * a concurrent write won).
 */
export const now = () => new Date().toISOString();
// Drafts may have no address yet; GSI4 only indexes ONLINE listings, which always have one.
export const NO_CITY = "-";

/** A conditional write lost against a concurrent one. */
export class StaleWrite extends Error {}

export type Writable = Partial<Omit<ListingItem, "listingId" | "hostId" | "createdAt" | "version">>;
export type Removable = Exclude<
  keyof Writable,
  "listingName" | "amenities" | "status" | "statusChangedAt" | "cityKey" | "updatedAt"
>;

/** What a write changes; `also`: items written in the same transaction (an outbox item). */
export interface Change {
  set?: Writable;
  remove?: Removable[];
  also?: TransactItem[];
  /** Also conditional on the photo set's revision (an approval of the photos the admin saw). */
  photosRev?: number;
  /** Bumps the photo set's revision too (a photo became visible: the processor's READY). */
  bumpPhotosRev?: boolean;
}

/**
 * The one write path: a patch conditional on the version and status that were read. It
 * always sets status, statusChangedAt and cityKey, so ElectroDB rewrites the GSI2 key and
 * adds or removes the sparse GSI4 key (ONLINE only) in the same write. With `also`, the
 * patch and those items are one transaction: both are written or neither.
 */
export type NextState = { status: Status } & Change;

export async function write(current: ListingItem, next: NextState): Promise<ListingItem> {
  const conditional = statusPatch(current, next);
  if (next.also?.length) {
    try {
      await transactWrite([{ Update: conditional.params() }, ...next.also]);
    } catch (error) {
      if (failedConditions(error).includes(0)) throw new StaleWrite();
      throw error;
    }
    // A transaction returns no item: read what was written (or what a later write made of it).
    const { data } = await listingEntity()
      .get({ listingId: current.listingId })
      .go({ consistent: true });
    return data as ListingItem;
  }
  try {
    const { data } = await conditional.go({ response: "all_new" });
    return data as ListingItem;
  } catch (error) {
    if (isConditionalCheckFailure(error)) throw new StaleWrite();
    throw error;
  }
}

/**
 * `write`'s patch, unsent: a transaction that changes the listing's status together with
 * another item (the photo processor's READY) takes its `.params()`.
 */
export function statusPatch(current: ListingItem, next: NextState) {
  const at = now();
  const set = next.set ?? {};
  const remove = next.remove ?? [];
  const address = remove.includes("address") ? undefined : (set.address ?? current.address);
  let patch = listingEntity()
    .patch({ listingId: current.listingId })
    .set({
      ...set,
      status: next.status,
      statusChangedAt: next.status === current.status ? current.statusChangedAt : at,
      cityKey: address ? cityKey(address.city) : NO_CITY,
      version: current.version + 1,
      updatedAt: at,
    });
  if (remove.length) patch = patch.remove(remove);
  if (next.bumpPhotosRev) patch = patch.add({ photosRev: 1 });
  return patch.where(({ version, status, photosRev }, { eq, notExists }) => {
    const same = `${eq(version, current.version)} AND ${eq(status, current.status)}`;
    if (next.photosRev === undefined) return same;
    // An absent revision is 0: the photo set was never changed.
    const photos = next.photosRev === 0 ? notExists(photosRev) : eq(photosRev, next.photosRev);
    return `${same} AND ${photos}`;
  });
}

/**
 * A status change on the current state. Re-reads and re-decides when a concurrent write won
 * (the action may have become invalid: then the caller gets INVALID_TRANSITION).
 */
export async function act(
  read: () => Promise<ListingItem>,
  action: Action,
  changes: (item: ListingItem, to: Status) => Change = () => ({}),
  /** The item when the caller has just read it: saves the first read. */
  current?: ListingItem,
): Promise<Info> {
  for (let attempt = 1; ; attempt++) {
    const item = attempt === 1 && current ? current : await read();
    const to = transition(item.status, action);
    try {
      return toInfo(await write(item, { status: to, ...changes(item, to) }));
    } catch (error) {
      if (!(error instanceof StaleWrite)) throw error;
      if (attempt === 3) throw new Conflict("The listing is changing too often; try again");
    }
  }
}

export function assertComplete(item: ListingItem): void {
  const missing = missingForSubmit({ item });
  if (missing.length) {
    throw new ValidationError(`The listing is not complete: ${missing.join(", ")} missing`, {
      fields: Object.fromEntries(missing.map((field) => [field, ["is required to submit"]])),
    });
  }
}
