import { isDeepStrictEqual } from "node:util";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { inParallel } from "../concurrency.js";
import { openAudit } from "./audit.js";
import {
  bookkeepingKeys,
  type JournalRecord,
  keyOf,
  type RevertCounts,
  type StateRecord,
} from "./bookkeeping.js";
import { documentsOf, type MigrationContext, MigrationError } from "./context.js";
import type { ItemKey, Migration, RawItem } from "./definition.js";
import { conditionalUpdate } from "./expressions.js";
import { cancellationReasons, withRetries } from "./retry.js";
import { keyString, readItems } from "./segments.js";
import { concurrentRun, moveState, readRecords, readState, zeroRevertCounts } from "./state.js";
import { Tally } from "./tally.js";
import { transactWrite } from "./transact.js";

/**
 * Reverts a migration from its journal: for every item the run changed, the attributes it
 * changed get their old values back (or go again, if they were not there), conditional on
 * the item still holding what the migration wrote. An item changed since (a host edited
 * the listing) keeps its later state and is reported as skipped; an item the migration did
 * not change is never touched. Each journal item is restored in one transaction that also
 * marks it reverted, so an interrupted revert resumes with the journals left.
 */
const JOURNALS_AT_ONCE = 8;

export interface RevertReport {
  migrationId: string;
  mode: "apply" | "dry-run";
  outcome: "reverted" | "already-reverted" | "interrupted" | "dry-run";
  runId: string;
  resumed: boolean;
  /** What this invocation did (a dry run: what it would do). */
  counts: RevertCounts;
  /** The whole revert's, once done. */
  totals?: RevertCounts;
  skippedKeys: ItemKey[];
  retries: number;
  ms: number;
  state: StateRecord;
}

interface Revert {
  context: MigrationContext;
  documents: DynamoDBDocumentClient;
  counts: RevertCounts;
  tally: Tally;
}

export async function revertMigration(
  migration: Migration,
  context: MigrationContext,
  mode: "apply" | "dry-run",
): Promise<RevertReport> {
  if (!migration.reversible) {
    throw new MigrationError(`Migration ${migration.id} is not reversible.`);
  }
  const documents = documentsOf(context.client);
  const state = await readState(documents, context.table, migration.id);
  if (!state) {
    throw new MigrationError(
      `Migration ${migration.id} never ran on ${context.table}: nothing to revert.`,
    );
  }
  const revert: Revert = {
    context,
    documents,
    counts: zeroRevertCounts(),
    tally: new Tally(context, migration.id, "revert", 1),
  };
  const base = {
    migrationId: migration.id,
    mode,
    runId: state.runId,
    skippedKeys: revert.tally.skippedKeys,
    counts: revert.counts,
  };
  if (state.status === "reverted") {
    return { ...base, outcome: "already-reverted", resumed: false, retries: 0, ms: 0, state };
  }
  const journals = (await readRecords(
    documents,
    context.table,
    migration.id,
    `${bookkeepingKeys.journalPrefix}${state.runId}#`,
    { expression: "attribute_not_exists(#revertedAt)", names: { "#revertedAt": "revertedAt" } },
  )) as (JournalRecord & RawItem)[];
  if (mode === "dry-run") {
    for (const journal of journals) await checkJournal(revert, journal);
    const ms = revert.tally.elapsedMs;
    return {
      ...base,
      outcome: "dry-run",
      resumed: false,
      retries: revert.tally.retries,
      ms,
      state,
    };
  }

  const resumed = state.status === "reverting";
  const reverting = resumed
    ? state
    : await moveState(documents, context.table, state, state.status, {
        status: "reverting",
        revertStartedAt: new Date().toISOString(),
      });
  const audit = await openAudit(documents, context, {
    migrationId: migration.id,
    action: "revert",
    runId: state.runId,
    resumed,
  });
  try {
    await inParallel(
      journals.map((journal) => async () => {
        if (!context.signal?.aborted) await restoreJournal(revert, migration, journal);
      }),
      JOURNALS_AT_ONCE,
    );
    const report = { ...base, resumed, retries: revert.tally.retries };
    if (context.signal?.aborted) {
      await audit.close("interrupted", { counts: revert.counts });
      return { ...report, outcome: "interrupted", ms: revert.tally.elapsedMs, state: reverting };
    }
    const totals = await revertTotals(documents, context.table, reverting);
    const reverted = await moveState(documents, context.table, reverting, "reverting", {
      status: "reverted",
      revertedAt: new Date().toISOString(),
      revertTotals: totals,
    });
    await audit.close("completed", { counts: revert.counts });
    return { ...report, outcome: "reverted", totals, ms: revert.tally.elapsedMs, state: reverted };
  } catch (error) {
    await audit
      .close("failed", { counts: revert.counts, error: (error as Error).message })
      .catch(() => {});
    throw error;
  }
}

/** Restores one journal's items and marks it reverted, in one transaction. */
async function restoreJournal(
  revert: Revert,
  migration: Migration,
  journal: JournalRecord & RawItem,
): Promise<void> {
  const { context, documents, tally } = revert;
  let pending = journal.entries;
  const skipped: ItemKey[] = [];
  for (;;) {
    const mark = {
      TableName: context.table,
      Key: keyOf(journal),
      UpdateExpression: "SET #revertedAt = :at, #revertSkipped = :skipped",
      ConditionExpression: "attribute_not_exists(#revertedAt)",
      ExpressionAttributeNames: { "#revertedAt": "revertedAt", "#revertSkipped": "revertSkipped" },
      ExpressionAttributeValues: { ":at": new Date().toISOString(), ":skipped": skipped },
    };
    const restores = pending.map((entry) => ({
      Update: conditionalUpdate(
        context.table,
        entry.key,
        { before: entry.after, after: entry.before },
        {},
      ),
    }));
    try {
      if (restores.length) {
        await transactWrite(documents, [...restores, { Update: mark }], tally.onRetry);
      } else {
        await withRetries(() => documents.send(new UpdateCommand(mark)), tally.onRetry);
      }
    } catch (error) {
      const reasons = cancellationReasons(error);
      const lost = (i: number) => reasons?.[i]?.Code === "ConditionalCheckFailed";
      if (!reasons || lost(restores.length)) {
        if (!reasons && !(error instanceof ConditionalCheckFailedException)) throw error;
        throw concurrentRun(migration.id);
      }
      if (!pending.some((_, i) => lost(i))) throw error;
      for (const [i, entry] of pending.entries()) {
        if (!lost(i)) continue;
        skipped.push(entry.key);
        tally.skip(entry.key);
      }
      pending = pending.filter((_, i) => !lost(i));
      continue;
    }
    revert.counts.journaled += journal.entries.length;
    revert.counts.restored += pending.length;
    revert.counts.skipped += skipped.length;
    tally.emit({ ...revert.counts });
    return;
  }
}

/** Dry run: which of the journal's items still hold what the migration wrote. */
async function checkJournal(revert: Revert, journal: JournalRecord): Promise<void> {
  const { context, documents, tally } = revert;
  const now = await readItems(
    documents,
    context.table,
    journal.entries.map((e) => e.key),
    tally.onRetry,
  );
  for (const entry of journal.entries) {
    const item = now.get(keyString(entry.key));
    const names = new Set([...Object.keys(entry.before), ...Object.keys(entry.after)]);
    const intact =
      item !== undefined &&
      [...names].every((name) => isDeepStrictEqual(item[name], entry.after[name]));
    revert.counts.journaled++;
    if (intact) revert.counts.restored++;
    else {
      revert.counts.skipped++;
      tally.skip(entry.key);
    }
  }
  tally.emit({ ...revert.counts });
}

/** The revert's totals over all the run's journals (earlier, interrupted invocations too). */
async function revertTotals(
  documents: DynamoDBDocumentClient,
  table: string,
  state: StateRecord,
): Promise<RevertCounts> {
  const journals = (await readRecords(
    documents,
    table,
    state.migrationId,
    `${bookkeepingKeys.journalPrefix}${state.runId}#`,
  )) as unknown as JournalRecord[];
  const totals = zeroRevertCounts();
  for (const journal of journals) {
    totals.journaled += journal.entries.length;
    totals.skipped += journal.revertSkipped?.length ?? 0;
  }
  totals.restored = totals.journaled - totals.skipped;
  return totals;
}
