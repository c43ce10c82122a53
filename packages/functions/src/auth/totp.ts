import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";

/**
 * Whether a user of the pool has a verified TOTP authenticator turned on (AdminGetUser's
 * `UserMFASettingList` holds SOFTWARE_TOKEN_MFA). With MFA OPTIONAL, Cognito then asks every
 * sign-in of that user for a code, so a session of such a user passed the second factor (or,
 * for a session started just before, proved the authenticator when setting it up).
 */
export async function hasTotp(
  cognito: CognitoIdentityProviderClient,
  user: { userPoolId: string; username: string },
): Promise<boolean> {
  const { UserMFASettingList = [] } = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: user.userPoolId, Username: user.username }),
  );
  return UserMFASettingList.includes("SOFTWARE_TOKEN_MFA");
}
