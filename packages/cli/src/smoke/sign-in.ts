import {
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CheckFailed } from "./http.js";
import type { CognitoTarget, SmokeUser } from "./target.js";

/**
 * USER_PASSWORD_AUTH against the stage's app client (as packages/local/src/sign-in.ts does
 * for the local stack): returns the access token, the only kind the API accepts.
 */
export type SignIn = (cognito: CognitoTarget, user: SmokeUser) => Promise<string>;

export const cognitoSignIn: SignIn = async (cognito, user) => {
  const client = new CognitoIdentityProviderClient({
    region: cognito.region,
    endpoint: cognito.endpoint,
    // InitiateAuth is an unsigned (noAuth) operation, so AWS needs no credentials; the local
    // stand-in gets dummy ones so a developer's profile is never sent to it.
    ...(cognito.endpoint
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
    maxAttempts: 2,
  });
  try {
    const result = await client.send(
      new InitiateAuthCommand({
        AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
        ClientId: cognito.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    );
    const token = result.AuthenticationResult?.AccessToken;
    if (!token) {
      throw new CheckFailed(
        `Cognito asks ${user.username} for ${result.ChallengeName ?? "a challenge"}: the smoke user ` +
          "needs a permanent password and no MFA.",
      );
    }
    return token;
  } catch (error) {
    if (error instanceof CheckFailed) throw error;
    const { name, message } = error as Error;
    if (["NotAuthorizedException", "UserNotFoundException"].includes(name)) {
      throw new CheckFailed(`Cannot sign in ${user.username}: ${message}`);
    }
    if (name === "ResourceNotFoundException" || name === "InvalidParameterException") {
      throw new CheckFailed(
        `Cognito refuses app client ${cognito.clientId} in ${cognito.region}: ${message}`,
      );
    }
    throw new CheckFailed(`Sign-in of ${user.username} failed (${name}: ${message})`);
  } finally {
    client.destroy();
  }
};
