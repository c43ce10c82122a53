import {
  AssociateSoftwareTokenCommand,
  AuthFlowType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoClientFor, signIn } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { startTestStack } from "../src/testing.js";
import { totpCode } from "../src/totp.js";

/**
 * Admins need an authenticator app (TOTP) where the stage says so (staging and prod); the
 * local stack is started with that setting, and cognito-local stands in for the pool: MFA
 * OPTIONAL, TOTP set up through AssociateSoftwareToken / VerifySoftwareToken, and a
 * SOFTWARE_TOKEN_MFA challenge at every later sign-in of that user.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack({ adminTotpRequired: true });
});
afterAll(() => stack?.stop());

function demo(group: "admins" | "hosts") {
  const user = stack.outputs.DemoUsers.find((u) =>
    group === "admins" ? u.groups.includes("admins") : !u.groups.includes("admins"),
  );
  if (!user) throw new Error(`no demo user in ${group}`);
  return user;
}

async function call(path: string, token: string) {
  const response = await fetch(`${stack.outputs.ApiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

const QUEUE = "/api/v1/admin/listings";

describe("admins without TOTP, where the stage requires it", () => {
  it("lets a host without MFA in as before", async () => {
    const host = demo("hosts");
    const { AccessToken } = await signIn(stack.outputs, host.email, host.password);
    expect((await call("/api/v1/me", AccessToken)).status).toBe(200);
  });

  it("refuses an admin without TOTP the admin routes and says why, and admin rights follow once it is set up", async () => {
    const admin = demo("admins");
    const first = await signIn(stack.outputs, admin.email, admin.password);
    const refused = await call(QUEUE, first.AccessToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: "FORBIDDEN",
      details: { reason: "ADMIN_TOTP_REQUIRED" },
    });
    // The admin still acts for itself as a host.
    expect((await call("/api/v1/me", first.AccessToken)).status).toBe(200);

    const cognito = cognitoClientFor(stack.outputs);
    try {
      const { SecretCode } = await cognito.send(
        new AssociateSoftwareTokenCommand({ AccessToken: first.AccessToken }),
      );
      if (!SecretCode) throw new Error("no TOTP secret");
      await cognito.send(
        new VerifySoftwareTokenCommand({
          AccessToken: first.AccessToken,
          UserCode: totpCode(SecretCode),
        }),
      );
      await cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: first.AccessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );

      // From now on the password alone does not sign the admin in.
      const started = await cognito.send(
        new InitiateAuthCommand({
          AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
          ClientId: stack.outputs.UserPoolClientId,
          AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
        }),
      );
      expect(started.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
      expect(started.AuthenticationResult).toBeUndefined();
      const done = await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack.outputs.UserPoolClientId,
          ChallengeName: "SOFTWARE_TOKEN_MFA",
          Session: started.Session,
          ChallengeResponses: {
            USERNAME: started.ChallengeParameters?.USER_ID_FOR_SRP ?? admin.email,
            SOFTWARE_TOKEN_MFA_CODE: totpCode(SecretCode),
          },
        }),
      );
      const token = done.AuthenticationResult?.AccessToken;
      if (!token) throw new Error("no access token after the TOTP challenge");
      expect((await call(QUEUE, token)).status).toBe(200);
      // The ID token of the same sign-in is still refused.
      const id = done.AuthenticationResult?.IdToken ?? "";
      expect((await call(QUEUE, id)).status).toBe(401);
    } finally {
      cognito.destroy();
    }
  });
});
