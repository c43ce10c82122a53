import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { EntityConfiguration } from "electrodb";
import { runtime } from "./runtime.js";

/** The DynamoDB client of the runtime in effect (runtime.ts builds it on first use). */
export function dynamoClient(): DynamoDBClient {
  return runtime().dynamo();
}

/** The same client with plain JavaScript values in and out (queries ElectroDB builds, we run). */
export function documentClient(): DynamoDBDocumentClient {
  return runtime().documents();
}

/**
 * An ElectroDB entity, built on first use for the runtime in effect (its table, its client):
 * `define` is called once per runtime, never at import.
 */
export function lazyEntity<E>(define: (config: EntityConfiguration) => E): () => E {
  return () =>
    runtime().memo(define, (rt) => define({ table: rt.config.TABLE_NAME, client: rt.dynamo() }));
}

/** Whether a failed write (ElectroDB wraps the SDK's error in `cause`) lost its condition. */
export function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { cause?: unknown })?.cause instanceof ConditionalCheckFailedException;
}

type Params = Record<string, unknown>;
export type TransactItem = { Put: Params } | { Update: Params } | { Delete: Params };

/**
 * TransactWriteItems from ElectroDB-built params (`entity.create(...).params()` etc.).
 * ElectroDB adds `ReturnValues`, which a transaction item may not carry.
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  const strip = ({ ReturnValues: _ignored, ...rest }: Params) => rest;
  const TransactItems = items.map((item) =>
    "Put" in item
      ? { Put: strip(item.Put) }
      : "Update" in item
        ? { Update: strip(item.Update) }
        : { Delete: strip(item.Delete) },
  );
  // biome-ignore lint/suspicious/noExplicitAny: ElectroDB types its params loosely; DynamoDB validates them.
  await documentClient().send(new TransactWriteCommand({ TransactItems } as any));
}

/** The indexes of the transaction items whose condition failed (empty for other errors). */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === "ConditionalCheckFailed" ? [index] : [],
  );
}
