import {
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ADMIN_GROUP, UserPoolDefinition } from "@localstays/core";
import { CliError } from "../errors.js";

export interface Demotion {
  username: string;
  email: string;
  /** False when the user was not in the admins group: the sign-out still ran. */
  wasAdmin: boolean;
  /** When the last access token issued before the sign-out expires, at the latest. */
  tokensValidUntil: string;
}

/**
 * Takes `admins` from a user and signs the user out everywhere (AdminUserGlobalSignOut):
 * every refresh token is revoked, so no new token names `admins`. Access tokens already
 * issued stay valid for API Gateway until they expire (it checks signature and expiry, not
 * revocation): the revocation window is the app client's access token lifetime.
 */
export async function demoteAdmin(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
  now: Date = new Date(),
): Promise<Demotion> {
  const username = await usernameOf(cognito, userPoolId, email);
  const { Groups = [] } = await cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }),
  );
  const wasAdmin = Groups.some((group) => group.GroupName === ADMIN_GROUP);
  if (wasAdmin) {
    await cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: userPoolId,
        Username: username,
        GroupName: ADMIN_GROUP,
      }),
    );
  }
  // After the group change: a refresh between the two calls would still name admins.
  await cognito.send(
    new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }),
  );
  const lifetimeMs = UserPoolDefinition.tokenValidity.accessTokenMinutes * 60_000;
  return {
    username,
    email,
    wasAdmin,
    tokensValidUntil: new Date(now.getTime() + lifetimeMs).toISOString(),
  };
}

async function usernameOf(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
): Promise<string> {
  if (/["\\]/.test(email)) throw new CliError(`Not an e-mail address: ${email}`);
  const { Users = [] } = await cognito.send(
    new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${email}"`, Limit: 2 }),
  );
  const usernames = Users.flatMap((user) => (user.Username ? [user.Username] : []));
  if (usernames.length === 0)
    throw new CliError(`No user of pool ${userPoolId} has e-mail ${email}.`);
  if (usernames.length > 1) {
    throw new CliError(`${usernames.length} users of pool ${userPoolId} have e-mail ${email}.`);
  }
  return usernames[0] as string;
}
