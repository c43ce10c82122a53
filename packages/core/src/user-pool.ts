import { ADMIN_GROUP, HOST_GROUP } from "./actor.js";
import { stagePrefix } from "./names.js";

/**
 * The user pool's definition, shared by `stacks/Auth.ts` and the local stack so that both
 * pools accept the same sign-ups and tokens carry the same groups.
 */
export const UserPoolDefinition = {
  /** Users sign in with their email address; Cognito verifies it with a code. */
  signInWithEmail: true,
  passwordPolicy: {
    minimumLength: 10,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: false,
  },
  groups: [
    { name: HOST_GROUP, description: "Hosts: manage their own listings", precedence: 10 },
    { name: ADMIN_GROUP, description: "Admins: review listings of every host", precedence: 1 },
  ],
  /** The SPA and the CLI authenticate with SRP or USER_PASSWORD_AUTH; no client secret. */
  authFlows: { userSrp: true, userPassword: true },
  /**
   * Pool-wide MFA: OPTIONAL with TOTP only. Users who set up an authenticator are asked for
   * a code at every sign-in; the rest (hosts, the smoke user) sign in with a password. Admin
   * rights need TOTP where the stage says so (stacks/stage.ts `adminTotpRequired`).
   */
  mfa: "OPTIONAL",
  /**
   * The access token's lifetime is also the revocation window: a global sign-out revokes
   * refresh tokens at once, but API Gateway accepts an access token until it expires.
   */
  tokenValidity: { idTokenMinutes: 60, accessTokenMinutes: 60, refreshTokenDays: 30 },
} as const;

/** The name of a stage's user pool: how operator commands find the pool of a deployed stage. */
export function userPoolName(stage: string): string {
  return stagePrefix(stage);
}
