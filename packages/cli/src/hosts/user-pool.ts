import {
  type CognitoIdentityProviderClient,
  paginateListUserPools,
  paginateListUsers,
  paginateListUsersInGroup,
} from "@aws-sdk/client-cognito-identity-provider";
import { CliError } from "../errors.js";

/** A user of the pool as ListUsers returns it, with its attributes by name. */
export interface PoolUser {
  username: string;
  attributes: Record<string, string | undefined>;
}

/**
 * The id of the stage's user pool, found by the name stacks/Auth.ts gives it
 * (core's userPoolName). Cognito does not make pool names unique, so two pools of that name
 * in the account and region are refused rather than guessed between.
 */
export async function findUserPoolId(
  client: CognitoIdentityProviderClient,
  name: string,
): Promise<string> {
  const ids: string[] = [];
  for await (const page of paginateListUserPools({ client }, { MaxResults: 60 })) {
    for (const pool of page.UserPools ?? []) {
      if (pool.Name === name && pool.Id) ids.push(pool.Id);
    }
  }
  const region = await client.config.region();
  if (ids.length === 0) {
    throw new CliError(
      `There is no user pool named ${name} in ${region}: deploy the stage first, or pass --region or --user-pool-id.`,
    );
  }
  if (ids.length > 1) {
    throw new CliError(
      `${ids.length} user pools are named ${name} in ${region} (${ids.join(", ")}): pass --user-pool-id.`,
    );
  }
  return ids[0] as string;
}

/**
 * Every CONFIRMED user of the pool, page by page (ListUsers returns at most 60 a page). Users
 * an administrator created (AdminCreateUser) become CONFIRMED at their first sign-in, and
 * Cognito never runs PostConfirmation for them, so they are included too.
 */
export async function* confirmedUsers(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): AsyncGenerator<PoolUser> {
  for await (const page of paginateListUsers({ client }, { UserPoolId: userPoolId, Limit: 60 })) {
    for (const user of page.Users ?? []) {
      if (user.UserStatus !== "CONFIRMED" || !user.Username) continue;
      const attributes = Object.fromEntries(
        (user.Attributes ?? []).map(({ Name, Value }) => [Name ?? "", Value]),
      );
      yield { username: user.Username, attributes };
    }
  }
}

/** The usernames in a group of the pool, page by page. */
export async function membersOf(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  groupName: string,
): Promise<Set<string>> {
  const members = new Set<string>();
  const input = { UserPoolId: userPoolId, GroupName: groupName, Limit: 60 };
  for await (const page of paginateListUsersInGroup({ client }, input)) {
    for (const user of page.Users ?? []) if (user.Username) members.add(user.Username);
  }
  return members;
}
