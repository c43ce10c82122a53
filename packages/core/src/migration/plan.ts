import { KEY_FIELDS, keyOf } from "./bookkeeping.js";
import type { ItemKey, Migration, RawItem } from "./definition.js";
import { diffItems, type ItemChange } from "./item-diff.js";

/** One item's change, with the item as read (the write is conditional on it). */
export interface Plan {
  key: ItemKey;
  item: RawItem;
  change: ItemChange;
}

/** What `up` does to the item; undefined when it leaves the item as it is. */
export function planItem(migration: Migration, item: RawItem): Plan | undefined {
  const key = keyOf(item);
  let next: RawItem;
  try {
    next = migration.up(structuredClone(item));
  } catch (error) {
    throw new Error(
      `Migration ${migration.id} cannot migrate item ${JSON.stringify(key)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const change = diffItems(item, next);
  if (!change) return undefined;
  if (KEY_FIELDS.some((field) => field in change.before || field in change.after)) {
    throw new Error(
      `Migration ${migration.id} changes the primary key of ${JSON.stringify(key)}; ` +
        "a migration may only change attributes (a new key is a new item).",
    );
  }
  return { key, item, change };
}

/** The attributes a write of this migration is conditional on, with the values read. */
export function pinnedOf(migration: Migration, item: RawItem): RawItem {
  return Object.fromEntries(
    [...Object.keys(migration.match), ...migration.guard].map((name) => [name, item[name]]),
  );
}

/**
 * Plans split into write batches. 25 items per transaction: measured on DynamoDB Local,
 * items per second barely change from 25 to 100 per transaction, and smaller ones conflict
 * less with live writes and redo less when they do. The journal item of a batch must stay
 * under DynamoDB's 400 KB item limit, so big changes make smaller batches.
 */
export const BATCH_ITEMS = 25;
const JOURNAL_BYTES = 300_000;

export function batchesOf(plans: Plan[]): Plan[][] {
  const batches: Plan[][] = [];
  let batch: Plan[] = [];
  let bytes = 0;
  for (const plan of plans) {
    const size = JSON.stringify(plan.change).length + JSON.stringify(plan.key).length;
    if (batch.length && (batch.length === BATCH_ITEMS || bytes + size > JOURNAL_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(plan);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
