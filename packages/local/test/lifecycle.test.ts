import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { currentRuntime } from "@localstays/core/runtime";
import { afterAll, describe, expect, it } from "vitest";
import { assertPortFree } from "../src/ports.js";
import { codeIn, waitForMail } from "../src/ses.js";
import { cognitoClientFor, signIn } from "../src/sign-in.js";
import { type LocalStack, startLocalStack } from "../src/stack.js";
import { isRunning } from "../src/stale-processes.js";

/**
 * Start, stop, restart: the stack with its own DynamoDB Local (Java, on disk) and a data
 * directory, as `pnpm start` runs it. Restarts reuse the first run's ports, as `pnpm start`
 * does.
 */
const dataDir = mkdtempSync(join(tmpdir(), "localstays-lifecycle-"));
const password = "Persist-me-1";
const email = "persisted@example.com";
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function me(s: LocalStack, user: string, pw: string) {
  const { AccessToken } = await signIn(s.outputs, user, pw);
  const response = await fetch(`${s.outputs.ApiUrl}/api/v1/me`, {
    headers: { authorization: `Bearer ${AccessToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { hostId: string; email: string };
}

async function stopAndCheck(s: LocalStack) {
  expect(s.pids.length).toBe(3); // DynamoDB Local (Java), cognito-local and the SES emulator
  await s.stop();
  for (const pid of s.pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  for (const port of Object.values(s.ports)) await assertPortFree(port, "test", "--x");
}

describe("local stack lifecycle", () => {
  // Three starts of the whole stack (DynamoDB Local, cognito-local, s3rver, the SES emulator):
  // 30 s was not enough once the mail catcher came in.
  it("keeps users, hosts and ids across a restart, leaves no process behind, and --fresh wipes", async () => {
    const runtimeBefore = currentRuntime();
    const first = await startLocalStack({ dataDir, ports: "free", quiet: true });
    stack = first;
    const demo = first.outputs.DemoUsers[0];
    if (!demo) throw new Error("no demo user");
    const cognito = cognitoClientFor(first.outputs);
    await cognito.send(
      new SignUpCommand({
        ClientId: first.outputs.UserPoolClientId,
        Username: email,
        Password: password,
      }),
    );
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: first.outputs.UserPoolClientId,
        Username: email,
        // The code the user got by mail, on the local SES emulator.
        ConfirmationCode: codeIn(await waitForMail(first.outputs.SesEndpoint, email)),
      }),
    );
    cognito.destroy();
    const before = await me(first, email, password);
    const demoBefore = await me(first, demo.email, demo.password);
    stack = undefined;
    await stopAndCheck(first);

    const second = await startLocalStack({ dataDir, ports: first.ports, quiet: true });
    stack = second;
    expect(second.outputs.UserPoolId).toBe(first.outputs.UserPoolId);
    expect(second.outputs.UserPoolClientId).toBe(first.outputs.UserPoolClientId);
    expect(await me(second, email, password)).toEqual(before);
    expect((await me(second, demo.email, demo.password)).hostId).toBe(demoBefore.hostId);
    stack = undefined;
    await stopAndCheck(second);

    const fresh = await startLocalStack({ dataDir, ports: first.ports, quiet: true, fresh: true });
    stack = fresh;
    expect(fresh.outputs.UserPoolId).not.toBe(first.outputs.UserPoolId);
    await expect(signIn(fresh.outputs, email, password)).rejects.toThrow();
    expect((await me(fresh, demo.email, demo.password)).hostId).not.toBe(demoBefore.hostId);
    stack = undefined;
    await stopAndCheck(fresh);
    // The stacks configured only their own handlers: this file's runtime (its own table) is untouched.
    expect(currentRuntime()).toBe(runtimeBefore);
  }, 120_000);

  it("refuses a busy port with what to do, and starts nothing", async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await expect(
        startLocalStack({ dataDir, ports: { api: port, dynamodb: port + 1 }, quiet: true }),
      ).rejects.toThrow(/already in use.*--api-port/);
    } finally {
      blocker.close();
    }
  });
});
