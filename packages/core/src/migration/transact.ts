import { createHash } from "node:crypto";
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { withRetries } from "./retry.js";

type TransactItems = NonNullable<TransactWriteCommand["input"]["TransactItems"]>;

/**
 * TransactWriteItems, retried on throttling and conflicts. Each attempt carries a token
 * derived from its content: the SDK resends a timed-out request as is, and with the same
 * token DynamoDB answers a transaction it already committed with success instead of
 * failing its conditions. Our own retries are new requests with new tokens (whether a
 * cancelled transaction's token may be reused is not documented).
 */
export async function transactWrite(
  documents: DynamoDBDocumentClient,
  items: TransactItems,
  onRetry: (error: unknown) => void,
): Promise<void> {
  const content = createHash("sha256").update(JSON.stringify(items));
  let attempt = 0;
  await withRetries(() => {
    attempt++;
    const token = content.copy().update(String(attempt)).digest("base64url").slice(0, 36);
    return documents.send(
      new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }),
    );
  }, onRetry);
}
