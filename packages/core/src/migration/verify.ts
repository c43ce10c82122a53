import { isBookkeeping, keyOf } from "./bookkeeping.js";
import { DEFAULT_SEGMENTS, documentsOf, type MigrationContext } from "./context.js";
import type { ItemKey, Migration } from "./definition.js";
import { matchesItem, matchFilter } from "./expressions.js";
import { inSegments, scanPage } from "./segments.js";
import { Tally } from "./tally.js";

const SAMPLES = 5;

export interface VerifyReport {
  migrationId: string;
  /** Items the migration would still change: it has not run, or not everywhere. */
  remaining: { count: number; sample: ItemKey[] };
  /** Items the migration's check finds wrong (e.g. index keys not what ElectroDB computes). */
  problems: { count: number; sample: { key: ItemKey; problem: string }[] };
  read: number;
  clean: boolean;
  ms: number;
}

/** Reads the whole table (one parallel scan) and reports what is left or wrong; writes nothing. */
export async function verifyMigration(
  migration: Migration,
  context: MigrationContext,
): Promise<VerifyReport> {
  const documents = documentsOf(context.client);
  const totalSegments = context.segments ?? DEFAULT_SEGMENTS;
  const tally = new Tally(context, migration.id, "verify", totalSegments);
  const report: VerifyReport = {
    migrationId: migration.id,
    remaining: { count: 0, sample: [] },
    problems: { count: 0, sample: [] },
    read: 0,
    clean: false,
    ms: 0,
  };
  const { check } = migration;
  const filter = matchFilter(migration.match, ...(check ? [check.match] : []));
  await inSegments(totalSegments, context.signal, async (segment, signal) => {
    const spec = { table: context.table, segment, totalSegments, filter };
    let startKey: ItemKey | undefined;
    do {
      const page = await scanPage(documents, spec, startKey, tally.onRetry);
      report.read += page.scanned;
      for (const item of page.items) {
        if (isBookkeeping(item)) continue;
        if (matchesItem(migration.match, item)) {
          if (report.remaining.count++ < SAMPLES) report.remaining.sample.push(keyOf(item));
        } else if (check && matchesItem(check.match, item)) {
          const problem = check.problem(item);
          if (problem && report.problems.count++ < SAMPLES) {
            report.problems.sample.push({ key: keyOf(item), problem });
          }
        }
      }
      tally.add({ read: page.scanned });
      startKey = page.lastKey;
    } while (startKey && !signal.aborted);
    tally.segmentDone();
  });
  // An interrupted scan has not seen everything: it cannot say the table is clean.
  report.clean =
    !context.signal?.aborted && report.remaining.count === 0 && report.problems.count === 0;
  report.ms = tally.elapsedMs;
  return report;
}
