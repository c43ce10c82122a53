/**
 * What a data migration is. Migrations work on raw items, not on entities: the items they
 * exist to fix are the ones the current entities refuse to parse (a status the enum no
 * longer has, an attribute that was renamed). Each is a file under migrations/ and is
 * listed, in order, in registry.ts.
 */

/** An item as DynamoDB holds it, attribute by attribute (DocumentClient values). */
export type RawItem = Record<string, unknown>;

/** The table's primary key of an item. */
export type ItemKey = Record<string, string>;

/** Attribute equalities; every one must hold. Sent to DynamoDB as the scan's filter. */
export type Match = Record<string, string | number | boolean>;

export interface Migration {
  /** `NNNN-what-it-does`; the order of the registry follows the number. */
  id: string;
  description: string;
  /** Which items it touches. Also pinned in every write's condition. */
  match: Match;
  /**
   * More attributes the write is conditional on, holding what the scan read. `version`
   * makes any concurrent write through the services (which all bump it) win over the
   * migration, which then re-reads the item and starts again from what it finds.
   */
  guard: string[];
  /**
   * The item as it must become, from the item as read. It must not change the primary key,
   * and it must recompute any index key the change affects the way ElectroDB computes it
   * (index-keys.ts), never by hand. Throwing stops the run; a dry run finds such items first.
   */
  up(item: RawItem): RawItem;
  /**
   * Whether `revert` may restore what the migration changed. Reverting does not need a
   * `down` function: the runner journals, for every item it changed, the attributes before
   * and after; revert puts back exactly those, on exactly those items, where nothing else
   * has changed them since. (A `down` computed from today's items could not tell a migrated
   * ONLINE listing from one that was ONLINE all along.)
   */
  reversible: boolean;
  /** What `verify` checks besides "nothing matches any more": the migrated items' shape. */
  check?: {
    match: Match;
    /** A description of what is wrong with the item, or undefined when it is right. */
    problem(item: RawItem): string | undefined;
  };
}

const ID = /^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/;

/** A migration, its id and match checked when the module loads (not halfway through a run). */
export function defineMigration(migration: Migration): Migration {
  if (!ID.test(migration.id)) {
    throw new Error(`Migration id "${migration.id}" must look like 0001-what-it-does`);
  }
  if (Object.keys(migration.match).length === 0) {
    throw new Error(`Migration ${migration.id} must match on at least one attribute`);
  }
  return migration;
}
