import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  bookkeepingKeys,
  type Counts,
  type JournalRecord,
  KEY_FIELDS,
  type StateRecord,
} from "./bookkeeping.js";
import type { MigrationContext } from "./context.js";
import type { ItemKey, Migration } from "./definition.js";
import { conditionalUpdate, matchesItem } from "./expressions.js";
import { type Plan, pinnedOf, planItem } from "./plan.js";
import { cancellationReasons, withRetries } from "./retry.js";
import { keyString, readItems } from "./segments.js";
import { concurrentRun } from "./state.js";
import type { Tally } from "./tally.js";
import { transactWrite } from "./transact.js";

/*
 * One write batch of a run (apply.ts, steps 3 and 4): the items' conditional updates, the
 * batch's journal and the segment's checkpoint in one transaction, sent until it commits.
 */

/** Re-reads of one item whose writes keep losing to live writes, before it is skipped. */
const MAX_REREADS = 5;

/** Where a segment is: the checkpoint as this runner last wrote it. */
export interface Cursor {
  segment: number;
  seq: number;
  startKey: ItemKey | null;
  done: boolean;
}

/** A page's totals, committed with its last batch. */
export interface PageEnd {
  lastKey: ItemKey | undefined;
  read: number;
  /** Matches `up` left as they were. */
  unchanged: number;
}

export interface Run {
  migration: Migration;
  context: MigrationContext;
  documents: DynamoDBDocumentClient;
  state: StateRecord;
  tally: Tally;
}

/** Writes one batch (and the checkpoint) until it commits; see apply.ts for the steps. */
export async function commit(
  run: Run,
  cursor: Cursor,
  batch: Plan[],
  pageEnd?: PageEnd,
): Promise<void> {
  const { migration, context, documents, tally } = run;
  let pending = batch;
  let skipped = 0;
  let unchanged = pageEnd?.unchanged ?? 0;
  const rereads = new Map<string, number>();
  for (;;) {
    if (context.beforeWrite && pending.length) {
      await context.beforeWrite(pending.map(({ key, item }) => ({ key, item })));
    }
    const seq = cursor.seq + 1;
    const counts: Counts & { pages: number } = {
      read: pageEnd?.read ?? 0,
      matched: batch.length + (pageEnd?.unchanged ?? 0),
      changed: pending.length,
      skipped,
      unchanged,
      pages: pageEnd ? 1 : 0,
    };
    const checkpoint = checkpointUpdate(run, cursor, seq, counts, pageEnd);
    try {
      if (pending.length === 0) {
        await withRetries(() => documents.send(new UpdateCommand(checkpoint)), tally.onRetry);
      } else {
        await transactWrite(
          documents,
          [
            ...pending.map((plan) => ({
              Update: conditionalUpdate(
                context.table,
                plan.key,
                plan.change,
                pinnedOf(migration, plan.item),
              ),
            })),
            { Put: journalPut(run, cursor.segment, seq, pending) },
            { Update: checkpoint },
          ],
          tally.onRetry,
        );
      }
    } catch (error) {
      pending = await afterCancellation(run, error, pending, rereads, {
        skip: (plan) => {
          skipped++;
          tally.skip(plan.key);
        },
        unchanged: () => unchanged++,
      });
      continue;
    }
    cursor.seq = seq;
    if (pageEnd) {
      cursor.startKey = pageEnd.lastKey ?? null;
      cursor.done = pageEnd.lastKey === undefined;
    }
    const { pages: _pages, ...tallied } = counts;
    tally.add(tallied);
    return;
  }
}

/**
 * The plans to try again after a failed write: the items whose condition failed are read
 * again and planned afresh, or skipped when a live write took them out of the migration.
 * Anything else (our own bookkeeping lost its condition: another runner) is thrown.
 */
async function afterCancellation(
  run: Run,
  error: unknown,
  pending: Plan[],
  rereads: Map<string, number>,
  on: { skip(plan: Plan): void; unchanged(): void },
): Promise<Plan[]> {
  const { migration, context, documents, tally } = run;
  const reasons = cancellationReasons(error);
  const failed = (code: string | undefined) => code === "ConditionalCheckFailed";
  if (
    error instanceof ConditionalCheckFailedException ||
    reasons?.slice(pending.length).some((reason) => failed(reason.Code))
  ) {
    throw concurrentRun(migration.id);
  }
  const lost = new Set(pending.filter((_, i) => failed(reasons?.[i]?.Code)));
  if (lost.size === 0) throw error;
  tally.conflicts += lost.size;
  const fresh = await readItems(
    documents,
    context.table,
    [...lost].map((plan) => plan.key),
    tally.onRetry,
  );
  const next: Plan[] = [];
  for (const plan of pending) {
    if (!lost.has(plan)) {
      next.push(plan);
      continue;
    }
    const id = keyString(plan.key);
    const attempts = (rereads.get(id) ?? 0) + 1;
    rereads.set(id, attempts);
    const now = fresh.get(id);
    if (!now || !matchesItem(migration.match, now) || attempts > MAX_REREADS) {
      on.skip(plan);
      continue;
    }
    const replanned = planItem(migration, now);
    if (replanned) next.push(replanned);
    else on.unchanged();
  }
  return next;
}

function journalPut(run: Run, segment: number, seq: number, plans: Plan[]) {
  const record: JournalRecord = {
    runId: run.state.runId,
    segment,
    seq,
    at: new Date().toISOString(),
    entries: plans.map(({ key, change }) => ({ key, before: change.before, after: change.after })),
  };
  return {
    TableName: run.context.table,
    Item: {
      ...bookkeepingKeys.journal(run.migration.id, run.state.runId, segment, seq),
      ...record,
    },
    ConditionExpression: "attribute_not_exists(#pk)",
    ExpressionAttributeNames: { "#pk": KEY_FIELDS[0] },
  };
}

function checkpointUpdate(
  run: Run,
  cursor: Cursor,
  seq: number,
  counts: Counts & { pages: number },
  pageEnd: PageEnd | undefined,
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    return `#${name} = :${name}`;
  };
  const sets = [
    set("seq", seq),
    set("runId", run.state.runId),
    set("segment", cursor.segment),
    set("totalSegments", run.state.totalSegments),
    set("updatedAt", new Date().toISOString()),
  ];
  if (pageEnd) {
    sets.push(set("startKey", pageEnd.lastKey ?? null), set("done", pageEnd.lastKey === undefined));
  }
  const adds = Object.entries(counts).map(([name, n]) => {
    names[`#${name}`] = name;
    values[`:add_${name}`] = n;
    return `#${name} :add_${name}`;
  });
  values[":previous"] = cursor.seq;
  // The first write creates the checkpoint; later ones follow the sequence they read.
  if (cursor.seq === 0) names["#pk"] = KEY_FIELDS[0];
  return {
    TableName: run.context.table,
    Key: bookkeepingKeys.segment(run.migration.id, run.state.runId, cursor.segment),
    UpdateExpression: `SET ${sets.join(", ")} ADD ${adds.join(", ")}`,
    ConditionExpression:
      cursor.seq === 0 ? "attribute_not_exists(#pk) OR #seq = :previous" : "#seq = :previous",
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
