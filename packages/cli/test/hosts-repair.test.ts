import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { HOST_GROUP, Host } from "@localstays/core";
import { cognitoClientFor, signIn } from "@localstays/local/sign-in";
import type { LocalStack } from "@localstays/local/stack";
import { claimsOf, startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./run-cli.js";

/**
 * `localstays hosts repair` against a running local stack: a user that is CONFIRMED without
 * the sign-up trigger having run (an administrator created it and set a permanent password;
 * Cognito runs PostConfirmation only for sign-ups) has no host, and the command gives it one.
 */
let stack: LocalStack;
const password = "Repair-test-1";

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** A confirmed user whose PostConfirmation never ran, with the name given. */
async function confirmedWithoutTrigger(email: string, name: string): Promise<string> {
  const cognito = cognitoClientFor(stack.outputs);
  const pool = { UserPoolId: stack.outputs.UserPoolId, Username: email };
  try {
    const { User } = await cognito.send(
      new AdminCreateUserCommand({
        ...pool,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "name", Value: name },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({ ...pool, Password: password, Permanent: true }),
    );
    const sub = User?.Attributes?.find((a) => a.Name === "sub")?.Value;
    if (!sub) throw new Error("AdminCreateUser returned no sub");
    return sub;
  } finally {
    cognito.destroy();
  }
}

async function me(email: string) {
  const { AccessToken } = await signIn(stack.outputs, email, password);
  const response = await fetch(`${stack.outputs.ApiUrl}/api/v1/me`, {
    headers: { authorization: `Bearer ${AccessToken}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    groups: claimsOf(AccessToken)["cognito:groups"],
  };
}

const repair = (...args: string[]) =>
  cli("hosts", "repair", "--stage", "local", "--outputs", stack.outputsFile, ...args);

describe("localstays hosts repair on the local stack", () => {
  // Each CLI run starts tsx and loads core: seconds on a busy machine.
  const cliTests = { timeout: 300_000 };

  it(
    "finds a confirmed user without a host, lists it on --dry-run, and repairs it",
    cliTests,
    async () => {
      const email = `orphan-${Date.now()}@example.com`;
      const sub = await confirmedWithoutTrigger(email, "  Orphan\tHost ");
      // An unconfirmed sign-up is not the command's business.
      const cognito = cognitoClientFor(stack.outputs);
      await cognito.send(
        new SignUpCommand({
          ClientId: stack.outputs.UserPoolClientId,
          Username: `pending-${Date.now()}@example.com`,
          Password: password,
          UserAttributes: [{ Name: "email", Value: `pending-${Date.now()}@example.com` }],
        }),
      );
      cognito.destroy();
      expect((await me(email)).status).toBe(404);

      const dry = await repair("--dry-run");
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(
        `<${email}> as "Orphan Host" (missing: Host record, hosts group)`,
      );
      expect(dry.stdout).toMatch(/^would repair /);
      expect(dry.stdout).not.toContain("pending-");
      expect(dry.stderr).toContain("mode: dry run");
      expect(await Host.bySub(sub)).toBeUndefined();

      const applied = await repair("--json");
      expect(applied.code, applied.stderr).toBe(0);
      const report = JSON.parse(applied.stdout);
      expect(report.mode).toBe("apply");
      const mine = report.repairs.find((r: { email: string }) => r.email === email);
      expect(mine).toMatchObject({ outcome: "repaired", displayName: "Orphan Host" });

      const profile = await me(email);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({
        hostId: mine.hostId,
        email,
        displayName: "Orphan Host",
      });
      expect(profile.groups).toEqual([HOST_GROUP]);

      // Run again: nothing left to do, the demo users and the repaired one all have hosts.
      const again = await repair();
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe("");
      expect(again.stderr).toMatch(
        /(\d+) confirmed users, \1 with a host and the hosts group; 0 repaired/,
      );
    },
  );

  it(
    "refuses --dry-run with --apply, and --user-pool-id on the local stack",
    cliTests,
    async () => {
      const both = await repair("--dry-run", "--apply");
      expect(both.code).toBe(1);
      const pool = await repair("--user-pool-id", "eu-north-1_x");
      expect(pool.code).toBe(1);
      expect(pool.stderr).toContain("--user-pool-id is for AWS stages only");
    },
  );
});
