import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { configure } from "@localstays/core/runtime";
import { s3Client } from "@localstays/core/s3";
import { createTableInput } from "@localstays/core/table";
import { afterAll, inject } from "vitest";
import { S3RVER_CREDENTIALS } from "../s3.js";

// Runs before each test file is imported: every file talks to the run's DynamoDB Local
// (global-setup.ts) and gets a table of its own, created from the one schema in core,
// so files run in parallel without seeing each other's items. The same for s3rver and
// buckets. s3rver knows only its own key id; DynamoDB Local (-sharedDb) takes any.
// Core and the handlers get this file's configuration as an object; the environment only
// serves the SDK clients tests build themselves (default region and credential chain).
process.env.AWS_REGION ??= "eu-north-1";
process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// The functions' EMF metric lines likewise (a test that checks them turns them back on).
process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
// Node 20 is the supported floor here; the SDK's future-deprecation notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const s3Endpoint = inject("s3Endpoint");
const bucket = `test-${randomUUID()}`;
const runtime = configure(
  {
    STAGE: "test",
    AWS_REGION: process.env.AWS_REGION,
    DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
    TABLE_NAME: `test-${randomUUID()}`,
    S3_ENDPOINT: s3Endpoint,
    BUCKET_NAME: bucket,
    IMAGES_BASE_URL: `${s3Endpoint}/${bucket}`,
  },
  { credentials: S3RVER_CREDENTIALS },
);
const { TABLE_NAME } = runtime.config;

await Promise.all([
  runtime.dynamo().send(new CreateTableCommand(createTableInput(TABLE_NAME))),
  runtime.run(() => s3Client()).send(new CreateBucketCommand({ Bucket: bucket })),
]);

afterAll(async () => {
  // The bucket goes with s3rver's directory at the end of the run.
  await runtime.dynamo().send(new DeleteTableCommand({ TableName: TABLE_NAME }));
  runtime.destroy();
});
