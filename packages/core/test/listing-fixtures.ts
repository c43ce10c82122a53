import { type Actor, Host } from "../src/index.js";
import { exampleListing } from "../src/listing/example.js";

export const admin: Actor = { sub: "admin-sub", groups: ["admins", "hosts"] };

export async function newHost(sub: string = crypto.randomUUID()) {
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor: Actor = { sub, groups: ["hosts"], hostId: host.hostId };
  return { host, actor, hostId: host.hostId };
}

/** Everything a listing needs to be submitted. */
export const completeListing = exampleListing;
