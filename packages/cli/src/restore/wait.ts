import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { CliError } from "../errors.js";

export interface WaitOptions {
  /** Between DescribeTable calls; default 15 s (AWS), tests pass less. */
  pollMs?: number;
  /** Give up after this long; default 4 h (a large PITR restore takes hours). */
  timeoutMs?: number;
  /** Called after every DescribeTable with what it said. */
  progress?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the table and every index are ACTIVE (and nothing is still being built). */
export function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === "ACTIVE" &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE")
  );
}

/**
 * Polls DescribeTable until the table and its indexes are ACTIVE, reporting progress. A
 * table that is not there yet (a restore registers it after a moment) is waited for; any
 * other error, or a status a restore does not pass through, stops the wait.
 */
export async function waitForActive(
  client: DynamoDBClient,
  table: string,
  options: WaitOptions = {},
): Promise<TableDescription> {
  const pollMs = options.pollMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 4 * 60 * 60 * 1000;
  const sleep = options.sleep ?? pause;
  const now = options.now ?? Date.now;
  const started = now();
  for (;;) {
    let described: TableDescription | undefined;
    try {
      described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") throw error;
    }
    const elapsed = Math.round((now() - started) / 1000);
    if (described && isActive(described)) {
      options.progress?.(`  ${table}: ACTIVE after ${elapsed} s`);
      return described;
    }
    const status = described?.TableStatus ?? "not there yet";
    if (described && !["CREATING", "UPDATING", "ACTIVE"].includes(status)) {
      throw new CliError(`Table ${table} is ${status}, not on its way to ACTIVE: see the console.`);
    }
    const indexes = (described?.GlobalSecondaryIndexes ?? [])
      .map((index) => `${index.IndexName} ${index.IndexStatus}`)
      .join(", ");
    options.progress?.(`  ${table}: ${status}${indexes ? ` (${indexes})` : ""}, ${elapsed} s`);
    if (now() - started >= timeoutMs) {
      throw new CliError(
        `Table ${table} is still ${status} after ${elapsed} s. The restore goes on in AWS: ` +
          "run the same command with --cutover-to when it is ACTIVE.",
      );
    }
    await sleep(pollMs);
  }
}
