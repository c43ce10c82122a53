import { setTimeout as sleep } from "node:timers/promises";
import { BatchGetCommand, type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { KEY_FIELDS } from "./bookkeeping.js";
import type { ItemKey, RawItem } from "./definition.js";
import type { matchFilter } from "./expressions.js";
import { withRetries } from "./retry.js";

export interface Page {
  items: RawItem[];
  /** Items the scan evaluated (before the filter). */
  scanned: number;
  /** Where the next page starts; undefined at the end of the segment. */
  lastKey: ItemKey | undefined;
}

export interface ScanSpec {
  table: string;
  segment: number;
  totalSegments: number;
  filter: ReturnType<typeof matchFilter>;
  limit?: number;
}

/** One page of a parallel scan's segment (Scan `Segment`/`TotalSegments`), throttling retried. */
export function scanPage(
  documents: DynamoDBDocumentClient,
  spec: ScanSpec,
  startKey: ItemKey | null | undefined,
  onRetry: (error: unknown) => void,
): Promise<Page> {
  return withRetries(async () => {
    const result = await documents.send(
      new ScanCommand({
        TableName: spec.table,
        Segment: spec.segment,
        TotalSegments: spec.totalSegments,
        ...spec.filter,
        ...(spec.limit ? { Limit: spec.limit } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: result.Items ?? [],
      scanned: result.ScannedCount ?? 0,
      lastKey: result.LastEvaluatedKey as ItemKey | undefined,
    };
  }, onRetry);
}

/**
 * Runs one worker per segment, all at once. The first failure stops the others (between
 * two of their pages) and is thrown once all have stopped, so no write is left in flight.
 */
export async function inSegments(
  totalSegments: number,
  signal: AbortSignal | undefined,
  work: (segment: number, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let failure: { error: unknown } | undefined;
  try {
    await Promise.all(
      Array.from({ length: totalSegments }, (_, segment) =>
        work(segment, stop.signal).catch((error: unknown) => {
          failure ??= { error };
          stop.abort(error);
        }),
      ),
    );
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (failure) throw failure.error;
}

/** The items now, read strongly consistent (absent: deleted), throttling retried. */
export async function readItems(
  documents: DynamoDBDocumentClient,
  table: string,
  keys: ItemKey[],
  onRetry: (error: unknown) => void,
): Promise<Map<string, RawItem>> {
  const found = new Map<string, RawItem>();
  let pending = keys;
  // BatchGetItem takes 100 keys and may return some unprocessed under load.
  while (pending.length) {
    const batch = pending.slice(0, 100);
    pending = pending.slice(100);
    const result = await withRetries(
      () =>
        documents.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: batch, ConsistentRead: true } } }),
        ),
      onRetry,
    );
    for (const item of result.Responses?.[table] ?? []) found.set(keyString(item), item);
    const unprocessed = result.UnprocessedKeys?.[table]?.Keys as ItemKey[] | undefined;
    if (unprocessed?.length) {
      onRetry(new Error("BatchGetItem left keys unprocessed"));
      pending = [...unprocessed, ...pending];
      await sleep(50 + Math.random() * 200);
    }
  }
  return found;
}

/** A key as a Map key. */
export function keyString(item: RawItem | ItemKey): string {
  return JSON.stringify(KEY_FIELDS.map((field) => item[field]));
}
