import { Entity, type EntityConfiguration } from "electrodb";
import { lazyEntity } from "../../dynamo.js";
import { cityKey } from "../../listing/city.js";
import { defineListingEntity } from "../../listing/entity.js";
import { exampleListing } from "../../listing/example.js";
import { STATUSES } from "../../listing/status.js";
import type { RawItem } from "../definition.js";

/**
 * What a listing item looked like before migration 0001: the listing entity of the app
 * whose published status was called ACTIVE. Same model, same keys, one more status; its
 * GSI2 key says `status_active`, and since the city index (GSI4) only takes ONLINE
 * listings, it has no GSI4 key. For the tests and the benchmark, which write such items
 * the way that app did: a plain PutItem of what its entity built.
 */
const LEGACY_STATUSES = [...STATUSES, "ACTIVE"] as const;
function defineLegacyListingEntity(config: EntityConfiguration) {
  const { model, attributes, indexes } = defineListingEntity({}).schema;
  return new Entity(
    {
      model,
      attributes: { ...attributes, status: { ...attributes.status, type: LEGACY_STATUSES } },
      indexes,
    },
    config,
  );
}

export const legacyListingEntity = lazyEntity(defineLegacyListingEntity);

export interface LegacyListingFields {
  listingId: string;
  hostId: string;
  status?: (typeof LEGACY_STATUSES)[number];
  city?: string;
  version?: number;
  /** createdAt, updatedAt, statusChangedAt and publishedAt (ISO). */
  at?: string;
}

/** The raw item the legacy app would have put: the example listing, ACTIVE by default. */
export function legacyListingItem(fields: LegacyListingFields): RawItem {
  const { listingId, hostId, status = "ACTIVE", version = 4 } = fields;
  const at = fields.at ?? "2024-05-01T10:00:00.000Z";
  const listing = exampleListing(fields.city);
  const { Item } = legacyListingEntity()
    .put({
      ...listing,
      listingId,
      hostId,
      status,
      statusChangedAt: at,
      cityKey: cityKey(listing.address.city),
      version,
      createdAt: at,
      updatedAt: at,
      ...(status === "ACTIVE" || status === "ONLINE" ? { publishedAt: at } : {}),
    })
    .params();
  return Item as RawItem;
}
