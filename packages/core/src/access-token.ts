import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import { JwtBaseError } from "aws-jwt-verify/error";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import { ADMIN_GROUP, groupsOfClaim } from "./actor.js";
import { Unauthorized } from "./errors.js";

/**
 * The API's token rule. API Gateway's JWT authorizer has checked the signature, the issuer,
 * the expiry and that `aud` or `client_id` names the app client, so it also lets the same
 * client's ID tokens through. The API takes access tokens only (`token_use: access`,
 * `client_id` of the stage's app client): an ID token tells the dashboard who signed in, it is
 * not a credential for an API, and only access tokens are ended by a global sign-out.
 * Claims arrive as API Gateway prints them (strings); a token without the claims is refused.
 */
export function assertAccessToken(claims: Record<string, unknown>, clientId: string): void {
  try {
    // The claims are JSON values (API Gateway hands strings); the library reads them as such.
    validateCognitoJwtFields(claims as JwtPayload, {
      tokenUse: "access",
      clientId,
    });
  } catch (error) {
    if (!(error instanceof JwtBaseError)) throw error;
    throw new Unauthorized(
      claims.token_use === "id"
        ? "ID tokens are not accepted: send the access token (Authorization: Bearer <access token>)"
        : "The token is not an access token of this API's app client",
    );
  }
}

/** What the stage asks of admins (stacks/stage.ts `adminTotpRequired`). */
export interface AdminPolicy {
  /** Admin rights only for users with a verified TOTP authenticator (staging, prod). */
  totpRequired: boolean;
}

export interface ActingGroups {
  groups: string[];
  /** The token names `admins` but the user has no TOTP where the stage requires it. */
  adminTotpMissing: boolean;
}

/**
 * The groups a caller acts with: those of the access token's `cognito:groups`, less `admins`
 * when the stage requires TOTP of admins and the user has none. Cognito's MFA setting is
 * pool-wide (OPTIONAL here, so hosts sign in with a password), so the rule for admins is
 * ours. `hasTotp` asks the user pool; it is only called for a token that names `admins`.
 */
export async function actingGroups(
  groupsClaim: unknown,
  policy: AdminPolicy,
  hasTotp: () => Promise<boolean>,
): Promise<ActingGroups> {
  const groups = groupsOfClaim(groupsClaim);
  if (!policy.totpRequired || !groups.includes(ADMIN_GROUP) || (await hasTotp())) {
    return { groups, adminTotpMissing: false };
  }
  return { groups: groups.filter((group) => group !== ADMIN_GROUP), adminTotpMissing: true };
}
