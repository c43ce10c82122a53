import { type Actor, Host, Listing } from "../src/index.js";
import { exampleListing } from "../src/listing/example.js";
import { addPhoto, demoPhoto } from "../src/seed/photos.js";

export const admin: Actor = { sub: "admin-sub", groups: ["admins", "hosts"] };

export async function newHost(sub: string = crypto.randomUUID()) {
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor: Actor = { sub, groups: ["hosts"], hostId: host.hostId };
  return { host, actor, hostId: host.hostId };
}

/** Everything a listing needs to be submitted. */
export const completeListing = exampleListing;

/** A small real photo, uploaded and processed: what submit needs besides the fields. */
export async function addTestPhoto(actor: Actor, hostId: string, listingId: string, index = 0) {
  return addPhoto(actor, hostId, listingId, await demoPhoto(index, 160));
}

/** A listing that can be submitted: every field, and one READY photo. */
export async function createComplete(
  actor: Actor,
  hostId: string,
  input: ReturnType<typeof exampleListing> | string = exampleListing(),
): Promise<Listing.Info> {
  const fields = typeof input === "string" ? exampleListing(input) : input;
  const { listingId } = await Listing.create(actor, hostId, fields);
  await addTestPhoto(actor, hostId, listingId);
  return Listing.get(actor, hostId, listingId);
}
