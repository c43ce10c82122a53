import { ADMIN_GROUP, groupsOfClaim } from "@localstays/core/actor";

/** Who is signed in, from the ID token's claims. */
export interface Session {
  email: string;
  /** The name given at sign-up, else the email. */
  name: string;
  groups: string[];
  isAdmin: boolean;
}

export function sessionOf(claims: Record<string, unknown>): Session {
  const email = typeof claims.email === "string" ? claims.email : "";
  const groups = groupsOfClaim(claims["cognito:groups"]);
  return {
    email,
    name: typeof claims.name === "string" && claims.name ? claims.name : email,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
  };
}
