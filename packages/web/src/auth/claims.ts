import { ADMIN_GROUP } from "@localstays/core/actor";

/** Who is signed in, from the ID token's claims. */
export interface Session {
  email: string;
  /** The name given at sign-up, else the email. */
  name: string;
  groups: string[];
  isAdmin: boolean;
}

/** `cognito:groups` is an array in Cognito's tokens; other token sources flatten it to a string. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim === "string")
    return claim
      .replace(/^\[|\]$/g, "")
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

export function sessionOf(claims: Record<string, unknown>): Session {
  const email = typeof claims.email === "string" ? claims.email : "";
  const groups = groupsOf(claims["cognito:groups"]);
  return {
    email,
    name: typeof claims.name === "string" && claims.name ? claims.name : email,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
  };
}
