import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Counts } from "./bookkeeping.js";
import type { Operator } from "./operator.js";
import type { RetryPolicy } from "./retry.js";

/** Where and by whom a migration command runs, and how it reports. */
export interface MigrationContext {
  /** Any client: the caller decides region, endpoint, credentials and the SDK's retries. */
  client: DynamoDBClient;
  table: string;
  stage: string;
  operator: Operator;
  /** Parallel scan segments of a new run (default 8); a resumed run keeps its own. */
  segments?: number;
  /** Stops the command between write batches: nothing is half-written, the run resumes. */
  signal?: AbortSignal;
  progress?: (event: ProgressEvent) => void;
  retry?: RetryPolicy;
  /** Tests only: called with the items of a write batch just before it is sent. */
  beforeWrite?: (items: RawItemRef[]) => Promise<void>;
}

export interface RawItemRef {
  key: Record<string, string>;
  item: Record<string, unknown>;
}

export interface ProgressEvent {
  migrationId: string;
  action: "dry-run" | "run" | "revert" | "verify";
  /** What this invocation has done so far. */
  counts: Partial<Counts> & Record<string, number>;
  segmentsDone: number;
  totalSegments: number;
  elapsedMs: number;
}

export const DEFAULT_SEGMENTS = 8;

const documentClients = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/** Plain JavaScript values in and out; absent stays absent (undefined is never written). */
export function documentsOf(client: DynamoDBClient): DynamoDBDocumentClient {
  let documents = documentClients.get(client);
  if (!documents) {
    documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    documentClients.set(client, documents);
  }
  return documents;
}

/** A migration command refused or stopped for a reason the operator must act on. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** DescribeTable: the table is there and readable. The account in its ARN is for the caller's checks. */
export async function describeTable(
  client: DynamoDBClient,
  table: string,
): Promise<{ account: string | undefined }> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  return { account: Table?.TableArn?.split(":")[4] };
}
