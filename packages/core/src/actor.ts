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
}

export const ADMIN_GROUP = "admins";
export const HOST_GROUP = "hosts";

export function isAdmin(actor: Actor): boolean {
  return actor.groups.includes(ADMIN_GROUP);
}

/**
 * A host may act on its own data only; an admin on anyone's. Checked before any read, so a
 * caller learns nothing (not even whether the host exists) about data that is not theirs.
 */
export function assertCanActFor(actor: Actor, hostId: string): void {
  if (actor.hostId !== undefined && actor.hostId === hostId) return;
  if (!isAdmin(actor)) throw new Forbidden("You may only access your own host data", { hostId });
  // Only an admin gets this far with an arbitrary id; a malformed one names no host, and
  // must not reach DynamoDB (keys over 2 KB are a ValidationException there).
  if (!HostId.safeParse(hostId).success) throw new NotFound("Host", hostId);
}

export function assertAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden("This action needs the admins group");
}
