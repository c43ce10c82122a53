import { readFileSync, statSync } from "node:fs";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { HOST_GROUP, Host } from "@localstays/core";
import { cognitoClientFor, signIn } from "@localstays/local/sign-in";
import type { LocalStack } from "@localstays/local/stack";
import { claimsOf, startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmokeReport } from "../src/smoke/checks.js";
import { smokeUserEmail } from "../src/smoke-user/bootstrap.js";
import { localSmokeUserFile, type SmokeCredentials } from "../src/smoke-user/store.js";
import { cli } from "./run-cli.js";

/**
 * `localstays smoke-user --stage local` against a running local stack (cognito-local has
 * AdminCreateUser and AdminSetUserPassword), then `pnpm smoke --local --require-user` as that
 * user: the one-time setup of a stage, end to end, with the credentials in the data dir.
 */
let stack: LocalStack;
let file: string;

beforeAll(async () => {
  stack = await startTestStack();
  file = localSmokeUserFile(stack.outputsFile);
});
afterAll(() => stack?.stop());

const stored = () => JSON.parse(readFileSync(file, "utf8")) as SmokeCredentials;
const smokeUser = () => cli("smoke-user", "--stage", "local", "--outputs", stack.outputsFile);

describe("localstays smoke-user --stage local", () => {
  it("creates the smoke user as a host, then rotates its password on every run, never printing it", async () => {
    const created = await smokeUser();
    expect(created.stderr).toMatch(/Created smoke user smoke\+local@localstays\.com \(host /);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`${file}\n`);
    const first = stored();
    expect(first.username).toBe(smokeUserEmail("local"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(`${created.stdout}${created.stderr}`).not.toContain(first.password);

    // A host like any other: the hosts group in its token, a Host record with its e-mail.
    const { AccessToken } = await signIn(stack.outputs, first.username, first.password);
    expect(claimsOf(AccessToken)["cognito:groups"]).toEqual([HOST_GROUP]);
    const host = await Host.bySub(claimsOf(AccessToken).sub as string);
    expect(host).toMatchObject({ email: first.username, displayName: "Smoke test" });

    const rotated = await smokeUser();
    expect(rotated.stderr).toMatch(
      /Rotated the password of smoke user smoke\+local@localstays\.com/,
    );
    expect(rotated.code).toBe(0);
    const second = stored();
    expect(second.username).toBe(first.username);
    expect(second.password).not.toBe(first.password);
    // Same user, same host; the old password no longer signs in.
    const again = await signIn(stack.outputs, second.username, second.password);
    expect(claimsOf(again.AccessToken).sub).toBe(claimsOf(AccessToken).sub);
    expect(await Host.bySub(claimsOf(AccessToken).sub as string)).toMatchObject({
      hostId: host?.hostId,
    });
    await expect(signIn(stack.outputs, first.username, first.password)).rejects.toThrow();

    // No invitation: the user is confirmed with a verified address, no temporary password.
    const cognito = cognitoClientFor(stack.outputs);
    try {
      const user = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.outputs.UserPoolId, Username: first.username }),
      );
      expect(user.UserStatus).toBe("CONFIRMED");
      expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
    } finally {
      cognito.destroy();
    }
    // Two CLI runs, each a tsx start-up: slow on a busy 2-core runner.
  }, 120_000);

  it("then pnpm smoke --local --require-user signs in as the smoke user and passes", async () => {
    const run = await cli(
      "smoke",
      "--local",
      "--require-user",
      "--outputs",
      stack.outputsFile,
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SmokeReport;
    expect(report.ok).toBe(true);
    expect(report.target).toMatchObject({ source: "local stack", user: stored().username });
    const passed = report.checks.filter((c) => c.status === "pass").map((c) => c.name);
    expect(passed).toEqual(expect.arrayContaining(["sign in", "me", "photo ready", "archive"]));
  }, 120_000);
});
