import {
  type AuthenticationResultType,
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Outputs } from "./outputs.js";

/** A cognito-local client for the stack in `outputs` (dummy credentials, no retries). */
export function cognitoClientFor(outputs: Pick<Outputs, "CognitoEndpoint" | "Region">) {
  return new CognitoIdentityProviderClient({
    endpoint: outputs.CognitoEndpoint,
    region: outputs.Region,
    // InitiateAuth is unsigned; the SDK still wants credentials to exist.
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    // A stopped stack should fail at once, not after the SDK's retries with backoff.
    maxAttempts: 1,
  });
}

export class ChallengeRequired extends Error {
  override name = "ChallengeRequired";
}

/** USER_PASSWORD_AUTH against the stack's app client, as the dashboard and the CLI sign in. */
export async function signIn(
  outputs: Pick<Outputs, "CognitoEndpoint" | "Region" | "UserPoolClientId">,
  email: string,
  password: string,
): Promise<Required<Pick<AuthenticationResultType, "IdToken" | "AccessToken">>> {
  const client = cognitoClientFor(outputs);
  try {
    const result = await client.send(
      new InitiateAuthCommand({
        AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
        ClientId: outputs.UserPoolClientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const { IdToken, AccessToken } = result.AuthenticationResult ?? {};
    if (!IdToken || !AccessToken) {
      throw new ChallengeRequired(
        `Sign-in for ${email} asks for ${result.ChallengeName ?? "a challenge"}; only plain password sign-in is handled.`,
      );
    }
    return { IdToken, AccessToken };
  } finally {
    client.destroy();
  }
}
