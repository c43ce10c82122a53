import { Forbidden, NotFound } from "./errors.js";
import { HostId } from "./ids.js";

/**
 * Who is calling, as established by the JWT authorizer. `hostId` is the caller's own host
 * record (absent for an admin without one, or before the PostConfirmation trigger ran).
 */
export interface Actor {
  sub: string;
  groups: readonly string[];
  hostId?: string;
  /** The token names `admins`, but the stage requires TOTP of admins and the user has none. */
  adminTotpMissing?: boolean;
}

export const ADMIN_GROUP = "admins";
export const HOST_GROUP = "hosts";

/**
 * The groups in a token's `cognito:groups` claim. Cognito issues an array. API Gateway's HTTP
 * API JWT authorizer hands every claim to the integration as a string and prints an array in
 * Go's `fmt` notation: `["admins","hosts"]` arrives as "[admins hosts]", one space between
 * names. Cognito's group names cannot contain whitespace (pattern
 * `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`) but may contain commas and brackets, so splitting on that
 * single space is exact and anything else (`x,admins`) is part of one name. A string that is
 * not bracketed was a string in the token and names one group.
 */
export function groupsOfClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== "string" || claim === "") return [];
  if (!(claim.startsWith("[") && claim.endsWith("]"))) return [claim];
  const inside = claim.slice(1, -1);
  return inside === "" ? [] : inside.split(" ");
}

export function isAdmin(actor: Actor): boolean {
  return actor.groups.includes(ADMIN_GROUP);
}

/**
 * A host may act on its own data only; an admin on anyone's. Checked before any read, so a
 * caller learns nothing (not even whether the host exists) about data that is not theirs.
 */
export function assertCanActFor(actor: Actor, hostId: string): void {
  if (actor.hostId !== undefined && actor.hostId === hostId) return;
  if (!isAdmin(actor)) refuse(actor, "You may only access your own host data", { hostId });
  // Only an admin gets this far with an arbitrary id; a malformed one names no host, and
  // must not reach DynamoDB (keys over 2 KB are a ValidationException there).
  if (!HostId.safeParse(hostId).success) throw new NotFound("Host", hostId);
}

export function assertAdmin(actor: Actor): void {
  if (!isAdmin(actor)) refuse(actor, "This action needs the admins group");
}

/** A refusal that tells an admin without TOTP why their admin rights do not apply. */
function refuse(actor: Actor, message: string, details: Record<string, unknown> = {}): never {
  if (actor.adminTotpMissing) {
    throw new Forbidden(
      "Admin rights need an authenticator app (TOTP): set one up under Security, then sign in again",
      { ...details, reason: "ADMIN_TOTP_REQUIRED" },
    );
  }
  throw new Forbidden(message, Object.keys(details).length ? details : undefined);
}
