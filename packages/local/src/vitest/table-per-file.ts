import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createTableInput } from "@localstays/core/table";
import { afterAll, inject } from "vitest";

// Runs before each test file is imported: every file talks to the run's DynamoDB Local
// (global-setup.ts) and gets a table of its own, created from the one schema in core,
// so files run in parallel without seeing each other's items.
process.env.AWS_REGION ??= "eu-north-1";
process.env.AWS_ACCESS_KEY_ID = "local";
process.env.AWS_SECRET_ACCESS_KEY = "local";
process.env.STAGE ??= "test";
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// Node 20 is the supported floor here; the SDK's future-deprecation notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomUUID()}`;

const client = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
await client.send(new CreateTableCommand(createTableInput(process.env.TABLE_NAME)));

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: process.env.TABLE_NAME }));
  client.destroy();
});
