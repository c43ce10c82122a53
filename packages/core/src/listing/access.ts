import { type Actor, assertCanActFor } from "../actor.js";
import { NotFound } from "../errors.js";
import { type ListingItem, listingEntity } from "./entity.js";
import { ListingId } from "./schema.js";

/**
 * Reading a listing for a caller: shared by the listing service and the photo service, so
 * "who may touch this listing" is decided in one place.
 */
export async function load(
  listingId: string,
  options: { consistent?: boolean } = {},
): Promise<ListingItem | undefined> {
  // A malformed id names no listing: 404 like any other unknown id.
  if (!ListingId.safeParse(listingId).success) return undefined;
  const { data } = await listingEntity().get({ listingId }).go(options);
  return data ?? undefined;
}

/** The listing if the actor may act for `hostId` and the listing belongs to that host. */
export async function loadOwned(
  actor: Actor,
  hostId: string,
  listingId: string,
): Promise<ListingItem> {
  assertCanActFor(actor, hostId);
  const item = await load(listingId);
  // Another host's listing under this host's path is "not found", not "forbidden".
  if (!item || item.hostId !== hostId) throw new NotFound("Listing", listingId);
  return item;
}
