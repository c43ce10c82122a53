import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createTableInput } from "@localstays/core/table";
import { afterAll, inject } from "vitest";
import { S3RVER_CREDENTIALS, s3Client } from "../s3.js";

// Runs before each test file is imported: every file talks to the run's DynamoDB Local
// (global-setup.ts) and gets a table of its own, created from the one schema in core,
// so files run in parallel without seeing each other's items. The same for s3rver and
// buckets. s3rver knows only its own key id; DynamoDB Local (-sharedDb) takes any.
process.env.AWS_REGION ??= "eu-north-1";
process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
process.env.STAGE ??= "test";
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// Node 20 is the supported floor here; the SDK's future-deprecation notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.DYNAMODB_ENDPOINT = inject("dynamoEndpoint");
process.env.TABLE_NAME = `test-${randomUUID()}`;
process.env.S3_ENDPOINT = inject("s3Endpoint");
process.env.BUCKET_NAME = `test-${randomUUID()}`;
process.env.IMAGES_BASE_URL = `${process.env.S3_ENDPOINT}/${process.env.BUCKET_NAME}`;

const client = new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
const s3 = s3Client(process.env.S3_ENDPOINT, process.env.AWS_REGION);
await Promise.all([
  client.send(new CreateTableCommand(createTableInput(process.env.TABLE_NAME))),
  s3.send(new CreateBucketCommand({ Bucket: process.env.BUCKET_NAME })),
]);

afterAll(async () => {
  // The bucket goes with s3rver's directory at the end of the run.
  await client.send(new DeleteTableCommand({ TableName: process.env.TABLE_NAME }));
  client.destroy();
  s3.destroy();
});
