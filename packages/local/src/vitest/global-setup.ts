import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../dynamodb.js";
import { freePort } from "../ports.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One in-memory DynamoDB Local per test run, on a free port, stopped at the end. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return () => dynamo.stop();
}
