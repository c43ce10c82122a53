import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "./dynamo.js";
import { ValidationError } from "./errors.js";
/**
 * Keyset pagination over a DynamoDB Query with an optional filter, returning full pages.
 *
 * DynamoDB applies a FilterExpression after `Limit`, so a naive "Limit = page size" query
 * returns short or even empty pages while more matches follow. Here the query is repeated
 * until the page is full or the index is exhausted; when a round returns more matches than
 * the page needs, the cursor is the key of the last item returned (not DynamoDB's
 * LastEvaluatedKey, which lies beyond the cut). Pages are short in two cases only, both
 * visible to the client:
 *   - the end: `nextCursor` is null;
 *   - the read budget (MAX_EVALUATED items per request) ran out on a very selective filter:
 *     `truncated` is true and `nextCursor` continues where the reading stopped.
 * The cursor is the position in the index, base64url-encoded; it is opaque to clients and
 * checked on the way back in, so a forged one is a 400, never a DynamoDB error.
 */
import type { Page } from "./schema.js";
import { type IndexName, TableSchema } from "./table.js";

export type { Page };

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** The read budget; MAX_EVALUATED unless a caller (or a test) needs another. */
  maxEvaluated?: number;
}

type Key = Record<string, string>;

/** Items one request may read before it returns what it has (bounds latency and cost). */
export const MAX_EVALUATED = 1000;
/**
 * The read budget of an anonymous request (guest search): anyone can send one, so each reads
 * at most this many items. Two full pages of 100; a very selective filter answers a short,
 * `truncated` page sooner.
 */
export const ANONYMOUS_READ_BUDGET = 200;
/**
 * Items one round reads under a filter: enough that a selective filter does not take a round
 * trip per match. Without a filter a round reads the page plus one item, which says whether
 * another page follows (so the last page is never an empty one) for about no extra capacity.
 */
const FILTERED_ROUND = 50;

function keyFields(index: string | undefined): string[] {
  const table = [TableSchema.primaryIndex.partitionKey, TableSchema.primaryIndex.sortKey];
  if (!index) return table;
  const gsi = TableSchema.globalIndexes[index as IndexName];
  if (!gsi) throw new Error(`Unknown index ${index}`);
  return [...table, gsi.partitionKey, gsi.sortKey];
}

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

const invalidCursor = () =>
  new ValidationError("The cursor is not valid for this query; start again without it", {
    fields: { cursor: ["is not a cursor this query returned"] },
  });

/** The partition key value and sort key prefix ElectroDB put into the key condition. */
function keyCondition(input: QueryCommandInput) {
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const pkField = names["#pk"];
  const pk = values[":pk"];
  if (typeof pkField !== "string" || typeof pk !== "string") {
    throw new Error("queryPage expects ElectroDB's key condition (#pk = :pk)");
  }
  const skField = names["#sk1"];
  const skPrefix = values[":sk1"];
  return { pkField, pk, skField, skPrefix: typeof skPrefix === "string" ? skPrefix : undefined };
}

export function decodeCursor(cursor: string, input: QueryCommandInput): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const fields = keyFields(input.IndexName);
  if (
    typeof key !== "object" ||
    key === null ||
    Array.isArray(key) ||
    Object.keys(key).length !== fields.length ||
    !fields.every((f) => typeof (key as Key)[f] === "string" && (key as Key)[f] !== "")
  ) {
    throw invalidCursor();
  }
  // A key outside the query's range makes DynamoDB fail the request: refuse it here.
  const { pkField, pk, skField, skPrefix } = keyCondition(input);
  const typed = key as Key;
  if (typed[pkField] !== pk) throw invalidCursor();
  if (skField && skPrefix && !typed[skField]?.startsWith(skPrefix)) throw invalidCursor();
  return typed;
}

function keyOf(item: Record<string, unknown>, fields: string[]): Key {
  return Object.fromEntries(fields.map((f) => [f, String(item[f])]));
}

/** Runs `input` (a Query ElectroDB built) page by page; returns raw items for `parse`. */
export async function queryPage(
  input: QueryCommandInput,
  request: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const fields = keyFields(input.IndexName);
  const budget = request.maxEvaluated ?? MAX_EVALUATED;
  const items: Record<string, unknown>[] = [];
  let startKey: Key | undefined = request.cursor ? decodeCursor(request.cursor, input) : undefined;
  let evaluated = 0;
  for (;;) {
    const remaining = request.limit - items.length;
    const result = await documentClient().send(
      new QueryCommand({
        ...input,
        Limit: Math.min(
          input.FilterExpression ? Math.max(remaining, FILTERED_ROUND) : remaining + 1,
          budget - evaluated,
        ),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    evaluated += result.ScannedCount ?? 0;
    const found = result.Items ?? [];
    const taken = found.slice(0, remaining);
    items.push(...taken);
    const last = result.LastEvaluatedKey as Key | undefined;
    if (items.length === request.limit) {
      const more = taken.length < found.length || last !== undefined;
      const lastTaken = taken.at(-1) ?? items.at(-1);
      return {
        items,
        nextCursor: more && lastTaken ? encodeCursor(keyOf(lastTaken, fields)) : null,
      };
    }
    if (!last) return { items, nextCursor: null };
    if (evaluated >= budget) {
      return { items, nextCursor: encodeCursor(keyOf(last, fields)), truncated: true };
    }
    startKey = last;
  }
}
