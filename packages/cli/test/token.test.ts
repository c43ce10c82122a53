import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@localstays/local/ports";
import type { LocalStack } from "@localstays/local/stack";
import { claimsOf, startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../src/commands/token.js";
import { CliError } from "../src/errors.js";
import { cli } from "./run-cli.js";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe("localstays token", () => {
  it("prints only the demo user's access token, which the API accepts", async () => {
    const { code, stdout } = await cli(
      "token",
      "--email",
      "host@localstays.dev",
      "--outputs",
      stack.outputsFile,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = stdout.trim();
    expect(claimsOf(token)).toMatchObject({
      token_use: "access",
      client_id: stack.outputs.UserPoolClientId,
      "cognito:groups": ["hosts"],
    });
    const me = await fetch(`${stack.outputs.ApiUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
  });

  it("signs in other users with --password, and prints the ID token on request", async () => {
    const admin = stack.outputs.DemoUsers.find((u) => u.groups.includes("admins"));
    if (!admin) throw new Error("no demo admin");
    const token = await issueToken({
      email: admin.email,
      password: admin.password,
      outputs: stack.outputsFile,
    });
    expect(claimsOf(token)).toMatchObject({
      token_use: "access",
      client_id: stack.outputs.UserPoolClientId,
      "cognito:groups": ["admins", "hosts"],
    });
    const id = await issueToken({
      email: admin.email,
      password: admin.password,
      id: true,
      outputs: stack.outputsFile,
    });
    expect(claimsOf(id)).toMatchObject({ token_use: "id", aud: stack.outputs.UserPoolClientId });
  });

  it("explains an unknown user, a wrong password and a missing password", async () => {
    const outputs = stack.outputsFile;
    await expect(issueToken({ email: "nobody@example.com", outputs })).rejects.toThrow(
      /--password/,
    );
    await expect(
      issueToken({ email: "nobody@example.com", password: "Whatever-123", outputs }),
    ).rejects.toThrow(CliError);
    await expect(
      issueToken({ email: "host@localstays.dev", password: "wrong-Password-1", outputs }),
    ).rejects.toThrow(/Cannot sign in as host@localstays.dev/);
    const { code, stdout, stderr } = await cli(
      "token",
      "--email",
      "nobody@example.com",
      "--outputs",
      outputs,
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("not a demo user");
  });

  it("says to start the stack when it never ran or is not running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localstays-cli-"));
    await expect(
      issueToken({ email: "host@localstays.dev", outputs: join(dir, "outputs.json") }),
    ).rejects.toThrow(/pnpm start/);

    const stopped = join(dir, "stopped.json");
    const port = await freePort();
    writeFileSync(
      stopped,
      JSON.stringify({ ...stack.outputs, CognitoEndpoint: `http://127.0.0.1:${port}` }),
    );
    await expect(issueToken({ email: "host@localstays.dev", outputs: stopped })).rejects.toThrow(
      /not running.*pnpm start/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
