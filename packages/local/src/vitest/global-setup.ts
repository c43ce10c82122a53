import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../dynamodb.js";
import { freePort } from "../ports.js";
import { startS3 } from "../s3.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

/**
 * One in-memory DynamoDB Local and one s3rver per test run, on free ports, stopped at the
 * end; each test file gets a table and a bucket of its own (table-per-file.ts).
 */
export default async function setup(project: TestProject) {
  const s3Directory = mkdtempSync(join(tmpdir(), "localstays-test-s3-"));
  const [dynamo, s3] = await Promise.all([
    startDynamoDbLocal({ port: await freePort() }),
    startS3({ port: await freePort(), directory: s3Directory }),
  ]);
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop()]);
    rmSync(s3Directory, { recursive: true, force: true });
  };
}
