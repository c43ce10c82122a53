import { performance } from "node:perf_hooks";
import type { Actor } from "../../packages/core/src/actor.js";
import { inParallel } from "../../packages/core/src/concurrency.js";
import type { CreateInput } from "../../packages/core/src/listing/schema.js";
import { fixed } from "../lib/format.js";
import { log } from "../lib/log.js";
import type { LoadedCore } from "./core.js";

/** ONLINE listings per city; the search asks for the first. */
const CITIES = [
  { city: "Zürich", key: "zurich", country: "CH", lat: 47.37, lng: 8.54, count: 100 },
  { city: "Genève", key: "geneve", country: "CH", lat: 46.2, lng: 6.14, count: 60 },
  { city: "Basel", key: "basel", country: "CH", lat: 47.56, lng: 7.59, count: 50 },
  { city: "Bern", key: "bern", country: "CH", lat: 46.95, lng: 7.45, count: 50 },
  { city: "Lausanne", key: "lausanne", country: "CH", lat: 46.52, lng: 6.63, count: 40 },
] as const;
export const TARGET = CITIES[0];
export const LISTINGS = CITIES.reduce((sum, place) => sum + place.count, 0);
const HOSTS = 10;
const PROPERTY_TYPES = ["apartment", "house", "room", "villa", "cabin", "other"] as const;
const AMENITIES = ["wifi", "kitchen", "washer", "heating", "workspace", "tv", "balcony", "crib"];
const DESCRIPTION =
  "Bright and quiet, a few minutes' walk from the old town, the lake and the station. " +
  "The kitchen is fully equipped, the beds are made when you arrive and towels are provided. " +
  "Trams stop at the corner; a bakery and a supermarket are across the street. ";

function listingInput(i: number, place: (typeof CITIES)[number]): CreateInput {
  return {
    listingName: `Bench stay ${i} in ${place.city}`,
    description: DESCRIPTION.repeat(2).trim(),
    propertyType: PROPERTY_TYPES[i % PROPERTY_TYPES.length],
    address: {
      street: `Benchstrasse ${i + 1}`,
      city: place.city,
      postcode: String(1000 + i),
      country: place.country,
      lat: place.lat + (i % 50) / 1000,
      lng: place.lng + (i % 37) / 1000,
    },
    capacity: { guests: 1 + (i % 6), bedrooms: i % 4, beds: 1 + (i % 4), bathrooms: 1 + (i % 2) },
    amenities: AMENITIES.slice(0, 3 + (i % 6)) as CreateInput["amenities"],
    pricing: { nightlyPrice: 8000 + ((i * 137) % 20000), currency: "CHF", cleaningFee: 3000 },
    checkInTime: "15:00",
    checkOutTime: "11:00",
    houseRules: "No parties. Quiet after 22:00.",
  };
}

/**
 * Registers the hosts and takes every listing through the core services to ONLINE (create,
 * a photo, submit, approve, publish), as the API would, 16 listings at a time.
 */
export async function seedListings({ core, photos }: Pick<LoadedCore, "core" | "photos">) {
  const started = performance.now();
  const admin: Actor = { sub: "bench-admin", groups: ["admins"] };
  const hosts: Actor[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const sub = `bench-host-${h}`;
    const host = await core.Host.register({
      cognitoSub: sub,
      email: `host${h}@bench.localstays.dev`,
    });
    hosts.push({ sub, groups: ["hosts"], hostId: host.hostId });
  }
  const jobs = CITIES.flatMap((place) =>
    Array.from({ length: place.count }, (_, n) => ({ place, n })),
  ).map((job, i) => ({ ...job, i, actor: hosts[i % HOSTS] as Actor }));
  await inParallel(
    jobs.map(({ place, i, actor }) => async () => {
      const hostId = actor.hostId as string;
      const { listingId } = await core.Listing.create(actor, hostId, listingInput(i, place));
      // Submit needs a photo; a small one, as search returns every listing's photo summary.
      await photos.addPhoto(actor, hostId, listingId, await photos.demoPhoto(i, 400));
      await core.Listing.submit(actor, hostId, listingId);
      await core.Listing.approve(admin, listingId);
      await core.Listing.publish(actor, hostId, listingId);
    }),
    16,
  );
  log(
    `seeded ${jobs.length} ONLINE listings (${TARGET.count} in ${TARGET.city}) by ${HOSTS} hosts in ${fixed((performance.now() - started) / 1000)} s`,
  );
}

/** The data set as the JSON report describes it. */
export function datasetSummary(listingId: string) {
  return {
    listings: LISTINGS,
    cities: CITIES.map(({ key, count }) => ({ cityKey: key, listings: count })),
    targetCity: TARGET.key,
    listingId,
  };
}
