import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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
