import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { runtime } from "@localstays/core/runtime";

/** The Cognito client of the runtime in effect; off AWS it talks to cognito-local. */
export function cognitoClient(): CognitoIdentityProviderClient {
  return runtime().memo(CognitoIdentityProviderClient, (rt) =>
    rt.client(new CognitoIdentityProviderClient(rt.clientSettings(rt.config.COGNITO_ENDPOINT))),
  );
}
