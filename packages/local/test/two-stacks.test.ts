import { randomUUID } from "node:crypto";
import { Host } from "@localstays/core";
import { runtime } from "@localstays/core/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { signIn } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { claimsOf, startTestStack } from "../src/testing.js";

/**
 * Each stack configures its own handlers (core's runtime per stack, not the process's
 * environment), so two stacks in one process each reach their own table.
 */
const stacks: LocalStack[] = [];
afterAll(() => Promise.all(stacks.map((s) => s.stop())));

async function demoHost(stack: LocalStack) {
  const demo = stack.outputs.DemoUsers[0];
  if (!demo) throw new Error("no demo user");
  const { AccessToken } = await signIn(stack.outputs, demo.email, demo.password);
  const response = await fetch(`${stack.outputs.ApiUrl}/api/v1/me`, {
    headers: { authorization: `Bearer ${AccessToken}` },
  });
  expect(response.status).toBe(200);
  const { hostId } = (await response.json()) as { hostId: string };
  return { hostId, sub: String(claimsOf(AccessToken).sub) };
}

describe("two local stacks in one process", () => {
  it("serve each from its own table", async () => {
    const endpoint = runtime().config.DYNAMODB_ENDPOINT;
    if (!endpoint) throw new Error("the test run's DynamoDB is not configured");
    const first = await startTestStack();
    stacks.push(first);
    const second = await startTestStack({
      sharedDynamoDb: false,
      dynamodb: { endpoint, tableName: `second-${randomUUID()}` },
    });
    stacks.push(second);
    expect(second.outputs.TableName).not.toBe(first.outputs.TableName);

    const [a, b] = [await demoHost(first), await demoHost(second)];
    expect(a.hostId).not.toBe(b.hostId);
    // Each sign-up trigger wrote to its own stack's table, and only there.
    expect(await first.runtime.run(() => Host.hostIdOf(a.sub))).toBe(a.hostId);
    expect(await second.runtime.run(() => Host.hostIdOf(b.sub))).toBe(b.hostId);
    expect(await first.runtime.run(() => Host.hostIdOf(b.sub))).toBeUndefined();
    expect(await second.runtime.run(() => Host.hostIdOf(a.sub))).toBeUndefined();
  });
});
