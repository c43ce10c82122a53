import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { newId } from "../ids.js";
import {
  addCounts,
  bookkeepingKeys,
  type Counts,
  KEY_FIELDS,
  type RevertCounts,
  type SegmentRecord,
  type StateRecord,
  zeroCounts,
} from "./bookkeeping.js";
import { type MigrationContext, MigrationError } from "./context.js";
import type { RawItem } from "./definition.js";
import { withRetries } from "./retry.js";

/**
 * The state item of a migration: its one place for "where is this migration on this table".
 * Every change to it is conditional on the status and run it was read with, so two
 * operators starting, finishing or reverting the same migration at once cannot both win.
 */
const [PK] = KEY_FIELDS;

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

export async function readState(
  documents: DynamoDBDocumentClient,
  table: string,
  migrationId: string,
): Promise<StateRecord | undefined> {
  const { Item } = await withRetries(() =>
    documents.send(
      new GetCommand({
        TableName: table,
        Key: bookkeepingKeys.state(migrationId),
        ConsistentRead: true,
      }),
    ),
  );
  return Item as StateRecord | undefined;
}

/** Starts a run: the migration was never run, or its last run was reverted. */
export async function beginRun(
  documents: DynamoDBDocumentClient,
  context: MigrationContext,
  migrationId: string,
  totalSegments: number,
  previous: StateRecord | undefined,
): Promise<StateRecord> {
  const at = new Date().toISOString();
  const state: StateRecord = {
    migrationId,
    status: "running",
    runId: newId("run"),
    totalSegments,
    startedAt: at,
    startedBy: context.operator,
    updatedAt: at,
  };
  try {
    await documents.send(
      new PutCommand({
        TableName: context.table,
        Item: { ...bookkeepingKeys.state(migrationId), ...state },
        ...(previous
          ? {
              ConditionExpression: "#status = :reverted AND #runId = :previousRun",
              ExpressionAttributeNames: { "#status": "status", "#runId": "runId" },
              ExpressionAttributeValues: {
                ":reverted": "reverted",
                ":previousRun": previous.runId,
              },
            }
          : {
              ConditionExpression: "attribute_not_exists(#pk)",
              ExpressionAttributeNames: { "#pk": PK },
            }),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw concurrentRun(migrationId);
    throw error;
  }
  return state;
}

/** Moves the state on from `from` (as read, same run) and sets `changes`. */
export async function moveState(
  documents: DynamoDBDocumentClient,
  table: string,
  state: StateRecord,
  from: StateRecord["status"],
  changes: Partial<StateRecord>,
): Promise<StateRecord> {
  const next = { ...changes, updatedAt: new Date().toISOString() };
  const names: Record<string, string> = { "#status": "status", "#runId": "runId" };
  const values: Record<string, unknown> = { ":from": from, ":run": state.runId };
  const sets = Object.entries(next).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  try {
    await withRetries(() =>
      documents.send(
        new UpdateCommand({
          TableName: table,
          Key: bookkeepingKeys.state(state.migrationId),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "#status = :from AND #runId = :run",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw concurrentRun(state.migrationId);
    throw error;
  }
  return { ...state, ...next };
}

export function concurrentRun(migrationId: string): MigrationError {
  return new MigrationError(
    `Another command changed migration ${migrationId} at the same time (a second run or revert?). ` +
      "Nothing was lost: check `migrate status`, then run the command again.",
  );
}

/** Every bookkeeping item of a migration whose sort key starts with `prefix`. */
export async function readRecords(
  documents: DynamoDBDocumentClient,
  table: string,
  migrationId: string,
  prefix: string,
  filter?: { expression: string; names: Record<string, string> },
): Promise<RawItem[]> {
  const [pk, sk] = KEY_FIELDS;
  const items: RawItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await withRetries(() =>
      documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
          ...(filter ? { FilterExpression: filter.expression } : {}),
          ExpressionAttributeNames: { "#pk": pk, "#sk": sk, ...filter?.names },
          ExpressionAttributeValues: {
            ":pk": bookkeepingKeys.partition(migrationId)[pk],
            ":prefix": prefix,
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function readSegments(
  documents: DynamoDBDocumentClient,
  table: string,
  state: StateRecord,
): Promise<SegmentRecord[]> {
  const records = await readRecords(
    documents,
    table,
    state.migrationId,
    bookkeepingKeys.segmentPrefix(state.runId),
  );
  return records as unknown as SegmentRecord[];
}

export function sumSegments(segments: SegmentRecord[]): Counts {
  const totals = zeroCounts();
  for (const s of segments) {
    addCounts(totals, {
      read: s.read,
      matched: s.matched,
      changed: s.changed,
      skipped: s.skipped,
      unchanged: s.unchanged,
    });
  }
  return totals;
}

export const zeroRevertCounts = (): RevertCounts => ({ journaled: 0, restored: 0, skipped: 0 });
