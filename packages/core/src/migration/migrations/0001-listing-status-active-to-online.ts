import { defineListingEntity, LISTING_MODEL } from "../../listing/entity.js";
import { defineMigration, type RawItem } from "../definition.js";
import { TABLE_KEY_FIELDS, withIndexKeys } from "../index-keys.js";

/**
 * The seed's Scenario 4: the legacy status ACTIVE is now called ONLINE. The status feeds
 * two index keys, so both are rebuilt by the listing entity itself: GSI2 (the status
 * queue) moves from `status_active` to `status_online`, and GSI4 (city search, sparse:
 * ONLINE only) gains the listing. `version` goes up, as with every listing write, so a
 * client or service instance holding the old version cannot write over the change; the
 * listing's `updatedAt` and `statusChangedAt` stay: nobody edited it, and it has been
 * published since then under its old name.
 */
const entity = LISTING_MODEL.entity;

/**
 * The keys only need the schema, not the runtime's table: the migration writes through its
 * own context. ElectroDB insists on a table name for `params()`; this one is never sent.
 */
let keyBuilder: ReturnType<typeof defineListingEntity> | undefined;
const listingKeys = () => (keyBuilder ??= defineListingEntity({ table: "keys-only" }));

const versionOf = (item: RawItem) => (typeof item.version === "number" ? item.version : 0);

export const listingStatusActiveToOnline = defineMigration({
  id: "0001-listing-status-active-to-online",
  description: "Listings with the legacy status ACTIVE become ONLINE (GSI2 and GSI4 keys rebuilt)",
  match: { __edb_e__: entity, status: "ACTIVE" },
  guard: ["version"],
  up: (item) =>
    withIndexKeys(listingKeys(), { ...item, status: "ONLINE", version: versionOf(item) + 1 }),
  reversible: true,
  check: {
    match: { __edb_e__: entity, status: "ONLINE" },
    problem(item) {
      let expected: RawItem;
      try {
        expected = withIndexKeys(listingKeys(), item);
      } catch (error) {
        return `the listing entity refuses it: ${(error as Error).message}`;
      }
      const wrong = TABLE_KEY_FIELDS.filter((field) => item[field] !== expected[field]);
      return wrong.length
        ? `index keys not as ElectroDB builds them: ${wrong.join(", ")}`
        : undefined;
    },
  },
});
