import { isDeepStrictEqual } from "node:util";
import type { RawItem } from "./definition.js";

/** The attributes that differ, as they were and as they become (absent: not there). */
export interface ItemChange {
  before: RawItem;
  after: RawItem;
}

/** Top-level attributes of `after` that differ from `before`; undefined counts as absent. */
export function diffItems(before: RawItem, after: RawItem): ItemChange | undefined {
  const change: ItemChange = { before: {}, after: {} };
  let changed = false;
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[name];
    const to = after[name];
    if (isDeepStrictEqual(from, to)) continue;
    changed = true;
    if (from !== undefined) change.before[name] = from;
    if (to !== undefined) change.after[name] = to;
  }
  return changed ? change : undefined;
}

/** The names a change touches: set or removed. */
export function changedNames(change: ItemChange): string[] {
  return [...new Set([...Object.keys(change.before), ...Object.keys(change.after)])];
}
