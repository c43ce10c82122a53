import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Host } from "@localstays/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeIn, waitForMail } from "../src/ses.js";
import { cognitoClientFor, signIn } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { claimsOf, startTestStack } from "../src/testing.js";

/**
 * Sign-up through the Cognito API of the local stack: confirmation fires the real
 * PostConfirmation handler through cognito-local's Lambda invoke, as Cognito does in AWS.
 */
let stack: LocalStack;
const password = "Sign-up-test-1";

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function signUp(email: string, name?: string): Promise<string> {
  const cognito = cognitoClientFor(stack.outputs);
  try {
    const { UserSub } = await cognito.send(
      new SignUpCommand({
        ClientId: stack.outputs.UserPoolClientId,
        Username: email,
        Password: password,
        UserAttributes: [
          { Name: "email", Value: email },
          ...(name ? [{ Name: "name", Value: name }] : []),
        ],
      }),
    );
    if (!UserSub) throw new Error("SignUp returned no sub");
    return UserSub;
  } finally {
    cognito.destroy();
  }
}

/** ConfirmSignUp with the code, as the user does from the e-mail. */
async function confirmWithCode(email: string): Promise<void> {
  const cognito = cognitoClientFor(stack.outputs);
  try {
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: stack.outputs.UserPoolClientId,
        Username: email,
        ConfirmationCode: codeIn(await waitForMail(stack.outputs.SesEndpoint, email)),
      }),
    );
  } finally {
    cognito.destroy();
  }
}

async function me(accessToken: string) {
  const response = await fetch(`${stack.outputs.ApiUrl}/api/v1/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("sign-up on the local stack", () => {
  it("creates the Host record and the hosts membership when the user confirms with the code", async () => {
    const email = `ana-${Date.now()}@example.com`;
    const sub = await signUp(email, "Ana");
    expect(await Host.bySub(sub)).toBeUndefined();

    await confirmWithCode(email);

    const host = await Host.bySub(sub);
    expect(host).toMatchObject({ email, displayName: "Ana" });

    const { AccessToken } = await signIn(stack.outputs, email, password);
    expect(claimsOf(AccessToken)["cognito:groups"]).toEqual(["hosts"]);
    const profile = await me(AccessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ hostId: host?.hostId, email, displayName: "Ana" });
  });

  it("does the same for a user an operator confirms (AdminConfirmSignUp)", async () => {
    const email = `bob-${Date.now()}@example.com`;
    const sub = await signUp(email);
    const cognito = cognitoClientFor(stack.outputs);
    await cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: stack.outputs.UserPoolId, Username: email }),
    );
    cognito.destroy();

    const { AccessToken } = await signIn(stack.outputs, email, password);
    expect(claimsOf(AccessToken)["cognito:groups"]).toEqual(["hosts"]);
    const profile = await me(AccessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email, displayName: email.split("@")[0] });
    expect((await Host.bySub(sub))?.hostId).toBe(profile.body.hostId);
  });

  const localPart = (email: string) => email.split("@")[0];
  it.each([
    ["a name of one space", "space", " ", localPart],
    ["an 81-character name", "long", "x".repeat(81), () => "x".repeat(80)],
    ["a tab inside the name", "tab", "Ana\tMaria", () => "Ana Maria"],
    ["an e-mail z.email() refuses", "josé", "José", () => "José"],
  ])("makes a host of a user with %s", async (_, prefix, name, displayNameOf) => {
    const email = `${prefix}-${Date.now()}@example.com`;
    const sub = await signUp(email, name);
    await confirmWithCode(email);

    const { AccessToken } = await signIn(stack.outputs, email, password);
    const profile = await me(AccessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ email, displayName: displayNameOf(email) });
    expect((await Host.bySub(sub))?.hostId).toBe(profile.body.hostId);
  });

  it("gives an unconfirmed user no token and so no API access", async () => {
    const email = `carl-${Date.now()}@example.com`;
    await signUp(email);
    await expect(signIn(stack.outputs, email, password)).rejects.toThrow();
  });
});

describe("groups through the local gateway", () => {
  async function adminQueue(accessToken: string) {
    const response = await fetch(`${stack.outputs.ApiUrl}/api/v1/admin/listings`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return response.status;
  }

  it("does not take a group named x,admins for the admins group", async () => {
    const email = `comma-${Date.now()}@example.com`;
    await signUp(email, "Comma");
    const cognito = cognitoClientFor(stack.outputs);
    const pool = { UserPoolId: stack.outputs.UserPoolId };
    // Real Cognito's name pattern allows commas too; cognito-local takes any name.
    await cognito.send(new CreateGroupCommand({ ...pool, GroupName: "x,admins" }));
    await cognito.send(new AdminConfirmSignUpCommand({ ...pool, Username: email }));
    await cognito.send(
      new AdminAddUserToGroupCommand({ ...pool, Username: email, GroupName: "x,admins" }),
    );

    const { AccessToken } = await signIn(stack.outputs, email, password);
    expect(claimsOf(AccessToken)["cognito:groups"]).toEqual(expect.arrayContaining(["x,admins"]));
    expect(await adminQueue(AccessToken)).toBe(403);

    // The same user in the real admins group is let in: the 403 above was the group name.
    await cognito.send(
      new AdminAddUserToGroupCommand({ ...pool, Username: email, GroupName: "admins" }),
    );
    cognito.destroy();
    const again = await signIn(stack.outputs, email, password);
    expect(await adminQueue(again.AccessToken)).toBe(200);
  });
});
