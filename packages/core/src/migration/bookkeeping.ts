import { TableSchema } from "../table.js";
import type { ItemKey, RawItem } from "./definition.js";
import type { Operator } from "./operator.js";

/**
 * The migrations' own items, kept in the application table so that they share its backups,
 * its region and its IAM boundary. All of them live under partition keys starting with
 * `_migration#`: ElectroDB keys start with `$localstays#`, and these items carry no GSI
 * attributes, so no entity query or index can ever return one.
 *
 *   pk _migration#<id>   sk state                               StateRecord (one per migration)
 *                        sk segment#<runId>#<segment>           SegmentRecord: a scan segment's checkpoint
 *                        sk journal#<runId>#<segment>#<seq>     JournalRecord: what one write batch changed
 *                        sk audit#<ISO time>#<invocation>       AuditRecord: who ran what, when, with what result
 */
export const BOOKKEEPING_PREFIX = "_migration#";

const { partitionKey: PK, sortKey: SK } = TableSchema.primaryIndex;
export const KEY_FIELDS = [PK, SK] as const;

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const partition = (migrationId: string) => `${BOOKKEEPING_PREFIX}${migrationId}`;

export const bookkeepingKeys = {
  partition: (migrationId: string) => ({ [PK]: partition(migrationId) }),
  state: (migrationId: string): ItemKey => ({ [PK]: partition(migrationId), [SK]: "state" }),
  segment: (migrationId: string, runId: string, segment: number): ItemKey => ({
    [PK]: partition(migrationId),
    [SK]: `segment#${runId}#${pad(segment, 3)}`,
  }),
  segmentPrefix: (runId: string) => `segment#${runId}#`,
  journal: (migrationId: string, runId: string, segment: number, seq: number): ItemKey => ({
    [PK]: partition(migrationId),
    [SK]: `journal#${runId}#${pad(segment, 3)}#${pad(seq, 9)}`,
  }),
  journalPrefix: "journal#",
  audit: (migrationId: string, at: string, invocation: string): ItemKey => ({
    [PK]: partition(migrationId),
    [SK]: `audit#${at}#${invocation}`,
  }),
  auditPrefix: "audit#",
};

export function isBookkeeping(item: RawItem): boolean {
  const pk = item[PK];
  return typeof pk === "string" && pk.startsWith(BOOKKEEPING_PREFIX);
}

export function keyOf(item: RawItem): ItemKey {
  return Object.fromEntries(KEY_FIELDS.map((field) => [field, String(item[field])]));
}

/** What a run of a migration did to the table's items. */
export interface Counts {
  /**
   * Items the scan evaluated, before its filter. That includes the migration's own records
   * written meanwhile (the filter leaves them out, DynamoDB still counts them), so two runs
   * over the same items may differ here by a few.
   */
  read: number;
  /** Items that matched the migration when read: changed + skipped + unchanged. */
  matched: number;
  changed: number;
  /** Matched when read, but a concurrent write had changed them so they no longer match. */
  skipped: number;
  /** Matched, but `up` returned them as they were: nothing to write. */
  unchanged: number;
}

export const zeroCounts = (): Counts => ({
  read: 0,
  matched: 0,
  changed: 0,
  skipped: 0,
  unchanged: 0,
});

export function addCounts(into: Counts, more: Partial<Counts>): Counts {
  for (const [name, n] of Object.entries(more) as [keyof Counts, number][]) into[name] += n;
  return into;
}

export type MigrationStatus = "pending" | "running" | "applied" | "reverting" | "reverted";

export interface StateRecord {
  migrationId: string;
  status: Exclude<MigrationStatus, "pending">;
  /** The current (or last) run; its checkpoints and journals carry the same id. */
  runId: string;
  totalSegments: number;
  startedAt: string;
  startedBy: Operator;
  appliedAt?: string;
  /** Totals of the run, summed from its segments when it completed. */
  totals?: Counts;
  revertStartedAt?: string;
  revertedAt?: string;
  revertTotals?: RevertCounts;
  updatedAt: string;
}

/**
 * A scan segment's checkpoint. `startKey` is the ExclusiveStartKey of the page being worked
 * on; it advances (with the counts) in the same transaction as the page's last writes, and
 * `seq` orders those transactions: a write conditional on the `seq` it read makes a second
 * runner of the same migration fail instead of interleaving.
 */
export interface SegmentRecord extends Counts {
  runId: string;
  segment: number;
  totalSegments: number;
  seq: number;
  startKey: ItemKey | null;
  done: boolean;
  pages: number;
  updatedAt: string;
}

/** The attributes one item had before and after the migration changed it (absent: not there). */
export interface JournalEntry {
  key: ItemKey;
  before: RawItem;
  after: RawItem;
}

/** What one write batch changed: the undo log `revert` replays. */
export interface JournalRecord {
  runId: string;
  segment: number;
  seq: number;
  entries: JournalEntry[];
  at: string;
  revertedAt?: string;
  /** Entries revert left alone because the item had changed again since. */
  revertSkipped?: ItemKey[];
}

export interface RevertCounts {
  /** Journal entries read. */
  journaled: number;
  restored: number;
  /** Items changed again after the migration: their later state wins. */
  skipped: number;
}

export interface AuditRecord {
  migrationId: string;
  action: "run" | "revert";
  mode: "apply";
  runId: string;
  stage: string;
  table: string;
  by: Operator;
  startedAt: string;
  /** `started` until the invocation ends; a killed one stays `started`. */
  outcome: "started" | "completed" | "interrupted" | "failed";
  /** This invocation continued a run an earlier one left unfinished. */
  resumed: boolean;
  finishedAt?: string;
  /** What this invocation did (a resumed run's earlier part is in the earlier audit). */
  counts?: Counts | RevertCounts;
  error?: string;
}
