import { openAudit } from "./audit.js";
import { type Counts, isBookkeeping, type SegmentRecord, type StateRecord } from "./bookkeeping.js";
import { DEFAULT_SEGMENTS, documentsOf, type MigrationContext, MigrationError } from "./context.js";
import type { ItemKey, Migration } from "./definition.js";
import { matchesItem, matchFilter } from "./expressions.js";
import { batchesOf, type Plan, planItem } from "./plan.js";
import { inSegments, scanPage } from "./segments.js";
import { beginRun, moveState, readSegments, readState, sumSegments } from "./state.js";
import { Tally } from "./tally.js";
import { type Cursor, commit, type PageEnd, type Run } from "./write-batch.js";

/**
 * Applies a migration. Each scan segment works on its own, page after page:
 *
 *   1. Scan a page (100 items) of the segment from its checkpoint, filtered by the match.
 *   2. Plan every match: `up`, then the attributes that differ.
 *   3. Write the plans in transactions of up to 25 items. Each transaction holds:
 *      - every item's update, conditional on the item still holding what was read (the
 *        match, the guard attributes such as `version`, and the old values of what changes);
 *      - the journal of the batch (what each item had and has now: revert's undo log);
 *      - the segment's checkpoint: counts, and with the page's last batch the next page's
 *        start key, conditional on the checkpoint's sequence number as read.
 *      The changes, their undo log and the position in the table commit together or not at
 *      all, so a run killed at any moment resumes exactly where it stopped.
 *   4. A transaction cancelled because an item's condition failed means a live write came
 *      in between: that write wins. The item is read again; if it still matches, it is
 *      planned afresh from what it is now, else it is skipped (and reported). Throttling
 *      and transaction conflicts are retried with backoff.
 */
const PAGE_LIMIT = 100;

export interface RunReport {
  migrationId: string;
  mode: "apply" | "dry-run";
  outcome: "applied" | "already-applied" | "interrupted" | "dry-run";
  runId?: string;
  resumed: boolean;
  /** What this invocation did (a dry run: what it would do). */
  counts: Counts;
  /** The whole run's, once applied (a resumed run's earlier invocations included). */
  totals?: Counts;
  conflicts: number;
  retries: number;
  skippedKeys: ItemKey[];
  /** Dry run: the first few changes, attribute by attribute. */
  samples?: { key: ItemKey; before: Record<string, unknown>; after: Record<string, unknown> }[];
  totalSegments: number;
  ms: number;
  state?: StateRecord;
}

export async function applyMigration(
  migration: Migration,
  context: MigrationContext,
): Promise<RunReport> {
  const documents = documentsOf(context.client);
  const previous = await readState(documents, context.table, migration.id);
  if (previous?.status === "applied") return alreadyApplied(migration, previous);
  if (previous?.status === "reverting") {
    throw new MigrationError(
      `Migration ${migration.id} is being reverted (or a revert was interrupted): finish it with \`migrate revert\` first.`,
    );
  }
  const resumed = previous?.status === "running";
  const state =
    previous?.status === "running"
      ? previous
      : await beginRun(
          documents,
          context,
          migration.id,
          context.segments ?? DEFAULT_SEGMENTS,
          previous,
        );
  const audit = await openAudit(documents, context, {
    migrationId: migration.id,
    action: "run",
    runId: state.runId,
    resumed,
  });
  const tally = new Tally(context, migration.id, "run", state.totalSegments);
  try {
    const report = await applyRun({ migration, context, documents, state, tally }, resumed);
    await audit.close(report.outcome === "applied" ? "completed" : "interrupted", {
      counts: report.counts,
    });
    return report;
  } catch (error) {
    await audit
      .close("failed", { counts: tally.counts, error: (error as Error).message })
      .catch(() => {});
    throw error;
  }
}

async function applyRun(run: Run, resumed: boolean): Promise<RunReport> {
  const { migration, context, documents, state, tally } = run;
  const cursors = cursorsOf(state, await readSegments(documents, context.table, state));
  tally.segmentsDone = cursors.filter((c) => c.done).length;
  await inSegments(state.totalSegments, context.signal, (segment, signal) =>
    applySegment(run, cursors[segment] as Cursor, signal),
  );
  const report = {
    migrationId: migration.id,
    mode: "apply" as const,
    runId: state.runId,
    resumed,
    counts: tally.counts,
    conflicts: tally.conflicts,
    retries: tally.retries,
    skippedKeys: tally.skippedKeys,
    totalSegments: state.totalSegments,
  };
  if (!cursors.every((c) => c.done)) {
    return { ...report, outcome: "interrupted", ms: tally.elapsedMs, state };
  }
  const totals = sumSegments(await readSegments(documents, context.table, state));
  const applied = await moveState(documents, context.table, state, "running", {
    status: "applied",
    appliedAt: new Date().toISOString(),
    totals,
  });
  return { ...report, outcome: "applied", totals, ms: tally.elapsedMs, state: applied };
}

function alreadyApplied(migration: Migration, state: StateRecord): RunReport {
  return {
    migrationId: migration.id,
    mode: "apply",
    outcome: "already-applied",
    runId: state.runId,
    resumed: false,
    counts: { read: 0, matched: 0, changed: 0, skipped: 0, unchanged: 0 },
    ...(state.totals ? { totals: state.totals } : {}),
    conflicts: 0,
    retries: 0,
    skippedKeys: [],
    totalSegments: state.totalSegments,
    ms: 0,
    state,
  };
}

function cursorsOf(state: StateRecord, segments: SegmentRecord[]): Cursor[] {
  return Array.from({ length: state.totalSegments }, (_, segment) => {
    const saved = segments.find((s) => s.segment === segment);
    return saved
      ? { segment, seq: saved.seq, startKey: saved.startKey, done: saved.done }
      : { segment, seq: 0, startKey: null, done: false };
  });
}

async function applySegment(run: Run, cursor: Cursor, signal: AbortSignal): Promise<void> {
  const { migration, context, documents, tally } = run;
  const spec = {
    table: context.table,
    segment: cursor.segment,
    totalSegments: run.state.totalSegments,
    filter: matchFilter(migration.match),
    limit: PAGE_LIMIT,
  };
  while (!cursor.done && !signal.aborted) {
    const page = await scanPage(documents, spec, cursor.startKey, tally.onRetry);
    const plans: Plan[] = [];
    let unchanged = 0;
    for (const item of page.items) {
      if (isBookkeeping(item) || !matchesItem(migration.match, item)) continue;
      const plan = planItem(migration, item);
      if (plan) plans.push(plan);
      else unchanged++;
    }
    const pageEnd: PageEnd = { lastKey: page.lastKey, read: page.scanned, unchanged };
    const batches = batchesOf(plans);
    if (batches.length === 0) await commit(run, cursor, [], pageEnd);
    for (const [i, batch] of batches.entries()) {
      // Stopping between batches is safe: the checkpoint still points at this page, whose
      // migrated items no longer match when the run resumes and reads it again.
      if (signal.aborted) return;
      await commit(run, cursor, batch, i === batches.length - 1 ? pageEnd : undefined);
    }
    if (cursor.done) tally.segmentDone();
  }
}
