import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { createTableInput } from "@localstays/core/table";
import { CliError } from "../errors.js";
import { type WaitOptions, waitForActive } from "./wait.js";

/** Scan segments copied at once; DynamoDB Local serialises writes, more does not help. */
const SEGMENTS = 4;
const BATCH = 25;

/**
 * The local stand-in for a point-in-time restore. DynamoDB Local has no PITR, so the
 * "restore" of `--stage local` creates the new table from core's schema and copies every
 * item (migration bookkeeping included) through a parallel scan: the state at the time of
 * the copy, not of any earlier point. Items written during the copy may or may not be in it.
 */
export async function copyTable(
  client: DynamoDBClient,
  source: string,
  target: string,
  options: { progress?: (line: string) => void; wait?: WaitOptions } = {},
): Promise<{ copied: number }> {
  try {
    await client.send(new CreateTableCommand(createTableInput(target)));
  } catch (error) {
    if ((error as Error).name === "ResourceInUseException") {
      throw new CliError(`Table ${target} exists already: a restore never writes into a table.`);
    }
    throw error;
  }
  await waitForActive(client, target, { pollMs: 100, ...options.wait });
  let copied = 0;
  await Promise.all(
    Array.from({ length: SEGMENTS }, async (_, segment) => {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: source,
            Segment: segment,
            TotalSegments: SEGMENTS,
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        const items = page.Items ?? [];
        for (let i = 0; i < items.length; i += BATCH) {
          await writeAll(
            client,
            target,
            items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } })),
          );
        }
        copied += items.length;
        if (items.length) options.progress?.(`  copied ${copied} items`);
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return { copied };
}

/** A batch write until DynamoDB has taken every item (unprocessed ones again, with backoff). */
async function writeAll(client: DynamoDBClient, table: string, requests: WriteRequest[]) {
  let pending = requests;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt === 8) throw new CliError(`DynamoDB kept refusing writes to ${table}.`);
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const result = await client.send(
      new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
    );
    pending = result.UnprocessedItems?.[table] ?? [];
  }
}
