import { type Actor, Host } from "../src/index.js";

export const admin: Actor = { sub: "admin-sub", groups: ["admins", "hosts"] };

export async function newHost(sub: string = crypto.randomUUID()) {
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor: Actor = { sub, groups: ["hosts"], hostId: host.hostId };
  return { host, actor, hostId: host.hostId };
}

/** Everything a listing needs to be submitted. */
export function completeListing(city = "Zürich") {
  return {
    listingName: "Bright loft by the lake",
    description: "Two rooms, a balcony and a view of the lake.",
    propertyType: "apartment" as const,
    address: {
      street: "Seestrasse 1",
      city,
      postcode: "8002",
      country: "CH",
      lat: 47.3621,
      lng: 8.5361,
    },
    capacity: { guests: 4, bedrooms: 2, beds: 2, bathrooms: 1.5 },
    amenities: ["wifi" as const, "kitchen" as const],
    pricing: { nightlyPrice: 18_000, currency: "CHF", cleaningFee: 5_000 },
    checkInTime: "15:00",
    checkOutTime: "11:00",
    houseRules: "No parties.",
  };
}
