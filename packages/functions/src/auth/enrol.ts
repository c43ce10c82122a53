import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { HOST_GROUP, Host } from "@localstays/core";

export interface ConfirmedUser {
  userPoolId: string;
  /** Cognito's username (for an e-mail sign-in pool, not the e-mail). */
  username: string;
  attributes: Host.CognitoAttributes;
}

/**
 * Makes a confirmed user a host: its Host record (Host.registrationOf, which accepts whatever
 * name and e-mail Cognito accepted) and its `hosts` membership. Both steps are idempotent, so
 * the PostConfirmation trigger and `localstays hosts repair` share it and may run it twice.
 */
export async function enrolHost(
  cognito: CognitoIdentityProviderClient,
  user: ConfirmedUser,
): Promise<Host.Info> {
  const host = await Host.register(Host.registrationOf(user.attributes));
  await cognito.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: user.userPoolId,
      Username: user.username,
      GroupName: HOST_GROUP,
    }),
  );
  return host;
}
