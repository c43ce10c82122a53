import {
  AdminInitiateAuthCommand,
  AuthFlowType,
  ChangePasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoClientFor, signIn } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { startTestStack } from "../src/testing.js";

/**
 * The local stack's Cognito endpoint answers a failed sign-in as Cognito does (the app
 * client prevents user-existence errors): NotAuthorizedException "Incorrect username or
 * password." for a wrong password and for an unknown user alike, never cognito-local's
 * InvalidPasswordException, which clients read as "the password is too weak".
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

function demoHost() {
  const host = stack.outputs.DemoUsers.find((user) => !user.groups.includes("admins"));
  if (!host) throw new Error("The local stack has no demo host");
  return host;
}

/** The SDK's error for a call that must fail: its name, message and HTTP status. */
async function failureOf(call: Promise<unknown>) {
  const error = await call.then(
    () => {
      throw new Error("the call succeeded");
    },
    (reason: Error & { $metadata?: { httpStatusCode?: number } }) => reason,
  );
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

const INCORRECT = {
  name: "NotAuthorizedException",
  message: "Incorrect username or password.",
  status: 400,
};

describe("signing in to the local stack's user pool", () => {
  it("answers a wrong password with NotAuthorizedException, as Cognito does", async () => {
    const host = demoHost();
    expect(await failureOf(signIn(stack.outputs, host.email, "Not-the-password-1"))).toEqual(
      INCORRECT,
    );
  });

  it("answers an unknown user exactly as a wrong password", async () => {
    expect(
      await failureOf(signIn(stack.outputs, "nobody@example.com", "Not-the-password-1")),
    ).toEqual(INCORRECT);
  });

  it("does the same for AdminInitiateAuth and for ChangePassword's previous password", async () => {
    const host = demoHost();
    const cognito = cognitoClientFor(stack.outputs);
    try {
      expect(
        await failureOf(
          cognito.send(
            new AdminInitiateAuthCommand({
              UserPoolId: stack.outputs.UserPoolId,
              ClientId: stack.outputs.UserPoolClientId,
              AuthFlow: AuthFlowType.ADMIN_USER_PASSWORD_AUTH,
              AuthParameters: { USERNAME: host.email, PASSWORD: "Not-the-password-1" },
            }),
          ),
        ),
      ).toEqual(INCORRECT);
      const { AccessToken } = await signIn(stack.outputs, host.email, host.password);
      expect(
        await failureOf(
          cognito.send(
            new ChangePasswordCommand({
              AccessToken,
              PreviousPassword: "Not-the-password-1",
              ProposedPassword: "Another-pass-2024",
            }),
          ),
        ),
      ).toEqual(INCORRECT);
    } finally {
      cognito.destroy();
    }
  });

  it("sends Cognito's error headers, readable by a browser on another origin", async () => {
    const response = await fetch(stack.outputs.CognitoEndpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
        origin: "http://127.0.0.1:5173",
      },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: stack.outputs.UserPoolClientId,
        AuthParameters: { USERNAME: demoHost().email, PASSWORD: "Not-the-password-1" },
      }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(response.headers.get("x-amzn-errortype")).toBe("NotAuthorizedException:");
    expect(response.headers.get("x-amzn-errormessage")).toBe(INCORRECT.message);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toMatch(/x-amzn-ErrorType/);
    expect(await response.json()).toEqual({ __type: INCORRECT.name, message: INCORRECT.message });
  });

  it("leaves other answers as they are: a refresh token it does not know, a good sign-in", async () => {
    const cognito = cognitoClientFor(stack.outputs);
    try {
      const refresh = await failureOf(
        cognito.send(
          new InitiateAuthCommand({
            ClientId: stack.outputs.UserPoolClientId,
            AuthFlow: AuthFlowType.REFRESH_TOKEN_AUTH,
            AuthParameters: { REFRESH_TOKEN: "not-a-refresh-token" },
          }),
        ),
      );
      expect(refresh.name).toBe("NotAuthorizedException");
      expect(refresh.message).not.toBe(INCORRECT.message);
    } finally {
      cognito.destroy();
    }
    const host = demoHost();
    const tokens = await signIn(stack.outputs, host.email, host.password);
    expect(tokens.IdToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
