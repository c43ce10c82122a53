import { DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoClientFor } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { startTestStack } from "../src/testing.js";

/**
 * What a handler gets on the local stack: the configuration the stacks set in AWS plus the
 * endpoints, as the stack's runtime. The stand-ins also accept the SDK's default credential
 * chain (clients built with no credentials passed in).
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe("the handlers' configuration", () => {
  it("is the runtime config the stacks provide, pointing at the stand-ins", () => {
    const { outputs } = stack;
    expect(stack.runtime.config).toMatchObject({
      STAGE: "local",
      AWS_REGION: outputs.Region,
      TABLE_NAME: outputs.TableName,
      BUCKET_NAME: outputs.BucketName,
      USER_POOL_ID: outputs.UserPoolId,
      DYNAMODB_ENDPOINT: outputs.DynamoDbEndpoint,
      S3_ENDPOINT: outputs.S3Endpoint,
      COGNITO_ENDPOINT: outputs.CognitoEndpoint,
    });
  });

  it("reaches DynamoDB, S3 and Cognito with the SDK's default credential chain", async () => {
    const { outputs } = stack;
    const region = process.env.AWS_REGION;
    const dynamo = new DynamoDBClient({ endpoint: outputs.DynamoDbEndpoint, region });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: outputs.TableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      "GSI1",
      "GSI2",
      "GSI3",
      "GSI4",
    ]);
    dynamo.destroy();

    const s3 = new S3Client({
      endpoint: outputs.S3Endpoint,
      region,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const Key = `uploads/test-${Date.now()}.txt`;
    await s3.send(new PutObjectCommand({ Bucket: outputs.BucketName, Key, Body: "hello" }));
    const object = await s3.send(new GetObjectCommand({ Bucket: outputs.BucketName, Key }));
    expect(await object.Body?.transformToString()).toBe("hello");
    s3.destroy();

    const cognito = cognitoClientFor(outputs);
    const { UserPool } = await cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: outputs.UserPoolId }),
    );
    expect(UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(10);
    cognito.destroy();
  });
});
