import type { RunReport } from "./apply.js";
import { isBookkeeping } from "./bookkeeping.js";
import { DEFAULT_SEGMENTS, documentsOf, type MigrationContext } from "./context.js";
import type { Migration } from "./definition.js";
import { matchesItem, matchFilter } from "./expressions.js";
import { planItem } from "./plan.js";
import { inSegments, scanPage } from "./segments.js";
import { readState } from "./state.js";
import { Tally } from "./tally.js";

const SAMPLES = 5;

/**
 * What `applyMigration` would do, from the table as it is now: the same scan and the same
 * `up` on every match (so an item `up` cannot migrate fails here first), no write at all —
 * not even an audit record.
 */
export async function dryRun(migration: Migration, context: MigrationContext): Promise<RunReport> {
  const documents = documentsOf(context.client);
  const state = await readState(documents, context.table, migration.id);
  const totalSegments = context.segments ?? DEFAULT_SEGMENTS;
  const report = {
    migrationId: migration.id,
    mode: "dry-run" as const,
    resumed: false,
    totalSegments,
    ...(state ? { state, runId: state.runId } : {}),
  };
  const tally = new Tally(context, migration.id, "dry-run", totalSegments);
  if (state?.status === "applied") {
    return {
      ...report,
      outcome: "already-applied",
      counts: tally.counts,
      conflicts: 0,
      retries: 0,
      skippedKeys: [],
      ms: 0,
    };
  }
  const samples: NonNullable<RunReport["samples"]> = [];
  const filter = matchFilter(migration.match);
  await inSegments(totalSegments, context.signal, async (segment, signal) => {
    const spec = { table: context.table, segment, totalSegments, filter };
    let startKey: Record<string, string> | undefined;
    do {
      const page = await scanPage(documents, spec, startKey, tally.onRetry);
      let matched = 0;
      let changed = 0;
      for (const item of page.items) {
        if (isBookkeeping(item) || !matchesItem(migration.match, item)) continue;
        matched++;
        const plan = planItem(migration, item);
        if (!plan) continue;
        changed++;
        if (samples.length < SAMPLES) samples.push({ key: plan.key, ...plan.change });
      }
      tally.add({ read: page.scanned, matched, changed, unchanged: matched - changed });
      startKey = page.lastKey;
    } while (startKey && !signal.aborted);
    tally.segmentDone();
  });
  return {
    ...report,
    outcome: context.signal?.aborted ? "interrupted" : "dry-run",
    counts: tally.counts,
    conflicts: 0,
    retries: tally.retries,
    skippedKeys: [],
    samples,
    ms: tally.elapsedMs,
  };
}
