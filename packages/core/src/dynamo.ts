import { DynamoDBClient, type TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "./config.js";

/**
 * The one DynamoDB client of the process. Off AWS the endpoint comes from config
 * (`DYNAMODB_ENDPOINT`); nothing else in the code knows whether it talks to AWS or to
 * DynamoDB Local.
 */
let client: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  if (!client) {
    const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
    client = new DynamoDBClient({
      region: AWS_REGION,
      ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
      // The SDK's default of 3 attempts with backoff covers throttling; a Lambda has little
      // time to wait longer than that.
      maxAttempts: 3,
    });
  }
  return client;
}

/** The same client with plain JavaScript values in and out (queries ElectroDB builds, we run). */
export function documentClient(): DynamoDBDocumentClient {
  documents ??= DynamoDBDocumentClient.from(dynamoClient());
  return documents;
}

/** ElectroDB configuration shared by every entity: one table, one client. */
export function entityConfig() {
  return { table: config().TABLE_NAME, client: dynamoClient() };
}

/** Drops the cached client (tests point the process at another table or endpoint). */
export function resetDynamoClient(): void {
  client?.destroy();
  client = undefined;
  documents = undefined;
}

/** Whether a failed write (ElectroDB wraps the SDK's error in `cause`) lost its condition. */
export function isConditionalCheckFailure(error: unknown): boolean {
  const cause = (error as { cause?: { name?: string } })?.cause;
  return cause?.name === "ConditionalCheckFailedException";
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
  const { name, CancellationReasons } = error as TransactionCanceledException;
  if (name !== "TransactionCanceledException") return [];
  return (CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === "ConditionalCheckFailed" ? [index] : [],
  );
}
