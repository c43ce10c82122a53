import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { enrolHost } from "@localstays/functions/auth/enrol";
import { generatePassword } from "./password.js";
import type { SmokeUserStore } from "./store.js";

/**
 * `localstays smoke-user`: the stage's one dedicated smoke user, created on the first run and
 * given a new password on every run. A host like any other (Host record and `hosts` group,
 * through the sign-up trigger's own enrolHost, which Cognito never runs for users an
 * administrator creates), so the smoke test's round trip exercises what a real host does.
 * Imported once the stage's environment is bound: core's entities bind their table on import.
 */
export interface SmokeUserOptions {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  stage: string;
  store: SmokeUserStore;
  /** Default: a fresh random one meeting the pool's policy. */
  password?: string;
}

export interface SmokeUserResult {
  outcome: "created" | "rotated";
  /** What the smoke test signs in with: the e-mail (the pool signs in by e-mail). */
  username: string;
  hostId: string;
  /** The SSM parameter or file holding the credentials. */
  where: string;
}

/**
 * A fixed address per stage in a mailbox the team owns. No mail is ever sent to it (the
 * invitation is suppressed, and the address is marked verified), but a real one keeps the
 * account recoverable and recognisable.
 */
export function smokeUserEmail(stage: string): string {
  return `smoke+${stage}@localstays.com`;
}

export const SMOKE_USER_NAME = "Smoke test";

const attributesOf = (list: AttributeType[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ Name, Value }) => [Name ?? "", Value]));

async function createOrFind(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  email: string,
) {
  try {
    const { User } = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
          { Name: "name", Value: SMOKE_USER_NAME },
        ],
      }),
    );
    return {
      outcome: "created" as const,
      username: User?.Username ?? email,
      attributes: attributesOf(User?.Attributes),
    };
  } catch (error) {
    if ((error as Error).name !== "UsernameExistsException") throw error;
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }),
    );
    return {
      outcome: "rotated" as const,
      username: user.Username ?? email,
      attributes: attributesOf(user.UserAttributes),
    };
  }
}

export async function ensureSmokeUser(options: SmokeUserOptions): Promise<SmokeUserResult> {
  const { cognito, userPoolId, store } = options;
  const email = smokeUserEmail(options.stage);
  const user = await createOrFind(cognito, userPoolId, email);
  const password = options.password ?? generatePassword();
  // Permanent: the user is CONFIRMED at once, with no NEW_PASSWORD_REQUIRED challenge.
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      Password: password,
      Permanent: true,
    }),
  );
  const host = await enrolHost(cognito, {
    userPoolId,
    username: user.username,
    attributes: user.attributes,
  });
  // Stored last: a failure before leaves the old credentials stored and useless, and the
  // next run repairs everything, each step being idempotent.
  await store.write({ username: email, password });
  return { outcome: user.outcome, username: email, hostId: host.hostId, where: store.where };
}
