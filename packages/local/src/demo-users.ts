import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  SignUpCommand,
  UserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { ADMIN_GROUP, HOST_GROUP } from "@localstays/core/actor";
import type { DemoUser } from "./outputs.js";

/**
 * Two users to sign in with right away. Local-only, fixed passwords: they exist only in
 * cognito-local on this machine, and fixed values keep docs, scripts and tests simple.
 */
export const DEMO_USERS: readonly (DemoUser & { name: string })[] = [
  {
    email: "host@localstays.dev",
    password: "LocalHost-2024",
    name: "Demo Host",
    groups: [HOST_GROUP],
  },
  {
    email: "admin@localstays.dev",
    password: "LocalAdmin-2024",
    name: "Demo Admin",
    groups: [ADMIN_GROUP, HOST_GROUP],
  },
];

export interface CognitoUserRef {
  username: string;
  sub: string;
  email: string;
  name?: string;
}

export interface DemoUserHooks {
  /** Whether the user's Host record exists (the PostConfirmation trigger's work). */
  hasHost(user: CognitoUserRef): Promise<boolean>;
  /** Runs the real PostConfirmation handler for a user whose record is missing. */
  repairHost(user: CognitoUserRef): Promise<void>;
}

async function getUser(client: CognitoIdentityProviderClient, userPoolId: string, email: string) {
  try {
    return await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  } catch (error) {
    if (error instanceof UserNotFoundException || (error as Error).name === "UserNotFoundException")
      return undefined;
    throw error;
  }
}

/**
 * Signs the user up and confirms it the way a real user is confirmed, so the
 * PostConfirmation trigger creates the Host record and the `hosts` membership. Only missing
 * pieces are added on a restart.
 */
export async function ensureDemoUser(
  client: CognitoIdentityProviderClient,
  pool: { userPoolId: string; userPoolClientId: string },
  user: DemoUser & { name: string },
  hooks: DemoUserHooks,
): Promise<{ created: boolean; repaired: boolean; sub: string }> {
  const { userPoolId } = pool;
  let existing = await getUser(client, userPoolId, user.email);
  const created = !existing;
  if (!existing) {
    await client.send(
      new SignUpCommand({
        ClientId: pool.userPoolClientId,
        Username: user.email,
        Password: user.password,
        UserAttributes: [
          { Name: "email", Value: user.email },
          { Name: "name", Value: user.name },
        ],
      }),
    );
    existing = await getUser(client, userPoolId, user.email);
  }
  if (!existing?.Username) throw new Error(`Could not create demo user ${user.email}`);
  if (existing.UserStatus === "UNCONFIRMED") {
    await client.send(
      new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: existing.Username }),
    );
  }
  const attribute = (name: string) => existing?.UserAttributes?.find((a) => a.Name === name)?.Value;
  const ref: CognitoUserRef = {
    username: existing.Username,
    sub: attribute("sub") ?? existing.Username,
    email: user.email,
    name: user.name,
  };

  // The trigger may have failed (cognito-local only logs that), or the DynamoDB state may
  // have been wiped while the users stayed: run the same trigger handler again.
  let repaired = false;
  if (!(await hooks.hasHost(ref))) {
    await hooks.repairHost(ref);
    repaired = true;
    if (!(await hooks.hasHost(ref))) {
      throw new Error(`The PostConfirmation trigger did not register demo user ${user.email}`);
    }
  }

  const { Groups = [] } = await client.send(
    new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: existing.Username }),
  );
  const current = new Set(Groups.map((g) => g.GroupName));
  for (const group of user.groups.filter((g) => !current.has(g))) {
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: userPoolId,
        Username: existing.Username,
        GroupName: group,
      }),
    );
  }
  return { created, repaired, sub: ref.sub };
}
