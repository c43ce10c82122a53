import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { config } from "@localstays/core";

let client: CognitoIdentityProviderClient | undefined;

/** The Cognito client of the process; off AWS it talks to cognito-local. */
export function cognitoClient(): CognitoIdentityProviderClient {
  const { AWS_REGION, COGNITO_ENDPOINT } = config();
  client ??= new CognitoIdentityProviderClient({
    region: AWS_REGION,
    ...(COGNITO_ENDPOINT ? { endpoint: COGNITO_ENDPOINT } : {}),
  });
  return client;
}
