import { ADMIN_GROUP, groupsOfClaim } from "@localstays/core/actor";

/**
 * Who is signed in: name and email from the ID token (profile claims), groups from the access
 * token, the one the API reads them from.
 */
export interface Session {
  email: string;
  /** The name given at sign-up, else the email. */
  name: string;
  groups: string[];
  isAdmin: boolean;
}

export function sessionOf(
  claims: Record<string, unknown>,
  access: Record<string, unknown>,
): Session {
  const email = typeof claims.email === "string" ? claims.email : "";
  const groups = groupsOfClaim(access["cognito:groups"]);
  return {
    email,
    name: typeof claims.name === "string" && claims.name ? claims.name : email,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
  };
}
