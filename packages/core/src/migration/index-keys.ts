import { TableSchema } from "../table.js";
import type { RawItem } from "./definition.js";

/** Every key attribute of the table: the primary key and each GSI's. */
export const TABLE_KEY_FIELDS: readonly string[] = [
  TableSchema.primaryIndex.partitionKey,
  TableSchema.primaryIndex.sortKey,
  ...Object.values(TableSchema.globalIndexes).flatMap((gsi) => [gsi.partitionKey, gsi.sortKey]),
];

/** The one thing needed from an ElectroDB entity: the item its `put` would write. */
export interface KeyedEntity {
  put(item: RawItem): { params(): unknown };
}

/**
 * `attributes` with every table key attribute replaced by what ElectroDB writes for them:
 * its own key formats, and its index conditions (a sparse index's keys are absent when the
 * condition says no). Nothing is sent: `put().params()` only builds the request. The entity
 * validates the attributes on the way, so an item it would refuse fails here, loudly.
 */
export function withIndexKeys(entity: KeyedEntity, attributes: RawItem): RawItem {
  const { Item } = entity.put(attributes).params() as { Item: RawItem };
  const next: RawItem = { ...attributes };
  for (const field of TABLE_KEY_FIELDS) {
    if (Item[field] === undefined) delete next[field];
    else next[field] = Item[field];
  }
  return next;
}
