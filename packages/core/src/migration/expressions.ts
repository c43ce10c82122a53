import { BOOKKEEPING_PREFIX, KEY_FIELDS } from "./bookkeeping.js";
import type { ItemKey, Match, RawItem } from "./definition.js";
import type { ItemChange } from "./item-diff.js";

/**
 * DynamoDB expressions with numbered placeholders, so any attribute name (reserved words,
 * `__edb_e__`) and any value can be used.
 */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly byName = new Map<string, string>();

  name(attribute: string): string {
    let placeholder = this.byName.get(attribute);
    if (!placeholder) {
      placeholder = `#n${this.byName.size}`;
      this.byName.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** `#a = :v`, or `attribute_not_exists(#a)` when the value is absent. */
  holds(attribute: string, value: unknown): string {
    return value === undefined
      ? `attribute_not_exists(${this.name(attribute)})`
      : `${this.name(attribute)} = ${this.value(value)}`;
  }
}

export function matchesItem(match: Match, item: RawItem): boolean {
  return Object.entries(match).every(([name, value]) => item[name] === value);
}

/** The scan filter for items that fit any of the matches; the migrations' own items never do. */
export function matchFilter(...matches: Match[]) {
  const p = new Placeholders();
  // AND binds tighter than OR, and DynamoDB refuses parentheses that change nothing.
  const any = matches.map((match) =>
    Object.entries(match)
      .map(([name, value]) => p.holds(name, value))
      .join(" AND "),
  );
  const notOurs = `NOT begins_with(${p.name(KEY_FIELDS[0])}, ${p.value(BOOKKEEPING_PREFIX)})`;
  return {
    FilterExpression: `${any.length > 1 ? `(${any.join(" OR ")})` : any[0]} AND ${notOurs}`,
    ExpressionAttributeNames: p.names,
    ExpressionAttributeValues: p.values,
  };
}

/**
 * An Update that turns `change.before` into `change.after`, conditional on the item still
 * holding `pinned` (attribute -> value as read, undefined meaning absent) and the changed
 * attributes' old values: a write made since the read makes it fail instead of being lost.
 */
export function conditionalUpdate(
  table: string,
  key: ItemKey,
  change: ItemChange,
  pinned: RawItem,
) {
  const p = new Placeholders();
  const set: string[] = [];
  const remove: string[] = [];
  for (const name of new Set([...Object.keys(change.before), ...Object.keys(change.after)])) {
    const to = change.after[name];
    if (to === undefined) remove.push(p.name(name));
    else set.push(`${p.name(name)} = ${p.value(to)}`);
  }
  const conditions = new Map<string, string>();
  for (const [name, value] of Object.entries({ ...pinned, ...change.before })) {
    conditions.set(name, p.holds(name, value));
  }
  for (const name of Object.keys(change.after)) {
    if (!(name in change.before)) conditions.set(name, p.holds(name, undefined));
  }
  return {
    TableName: table,
    Key: key,
    UpdateExpression: [
      set.length ? `SET ${set.join(", ")}` : "",
      remove.length ? `REMOVE ${remove.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(" "),
    ConditionExpression: [...conditions.values()].join(" AND "),
    ExpressionAttributeNames: p.names,
    // DynamoDB refuses an empty map (a change that only removes, conditions that only say "absent").
    ...(Object.keys(p.values).length ? { ExpressionAttributeValues: p.values } : {}),
  };
}
