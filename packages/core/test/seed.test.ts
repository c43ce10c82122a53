import { describe, expect, it } from "vitest";
import { Host, Listing, NotFound, Photos } from "../src/index.js";
import {
  CITIES,
  EXTRA_HOST_STATUSES,
  generateDemoData,
  hasAnyListing,
  type SeedResult,
  seedDemoData,
  seedIfEmpty,
} from "../src/seed/index.js";
import { PhotosNotProcessed } from "../src/seed/photos.js";
import { addTestPhoto, admin, newHost } from "./listing-fixtures.js";

const DEFAULTS = { hosts: 12, listingsPerHost: 4, seed: 1 };
/** No processor watches the test bucket: the seed processes its photos itself. */
const HERE = { photos: "seed" } as const;
const allListings = (data: ReturnType<typeof generateDemoData>) => [
  ...data.hosts.flatMap((h) => h.listings),
  ...data.extra.flat(),
];

describe("generateDemoData", () => {
  it("gives the same data for the same options and other data for another seed", () => {
    const first = generateDemoData({ ...DEFAULTS, extraHosts: 1 });
    expect(generateDemoData({ ...DEFAULTS, extraHosts: 1 })).toEqual(first);
    const other = generateDemoData({ ...DEFAULTS, seed: 2 });
    expect(other.hosts.map((h) => h.email)).not.toEqual(first.hosts.map((h) => h.email));
    expect(allListings(other).map((l) => l.content.listingName)).not.toEqual(
      allListings(first).map((l) => l.content.listingName),
    );
  });

  it("spreads the defaults over all seven statuses and all twenty cities", () => {
    const data = generateDemoData(DEFAULTS);
    const listings = allListings(data);
    expect(listings).toHaveLength(48);
    expect(new Set(listings.map((l) => l.status))).toEqual(new Set(Listing.STATUSES));
    expect(CITIES).toHaveLength(20);
    expect(new Set(listings.map((l) => l.city)).size).toBe(20);
    // Most cities, the popular ones first, have something to find.
    const online = new Set(listings.filter((l) => l.status === "ONLINE").map((l) => l.city));
    expect(online.size).toBeGreaterThanOrEqual(16);
    expect(online).toContain("Zürich");
    expect(new Set(listings.map((l) => l.content.propertyType)).size).toBeGreaterThan(3);
    expect(new Set(listings.map((l) => l.content.pricing?.currency)).size).toBeGreaterThan(10);
    // Seeded hosts cannot sign in: synthetic subjects, reserved example domain.
    expect(new Set(data.hosts.map((h) => h.email)).size).toBe(12);
    for (const host of data.hosts) {
      expect(host.cognitoSub).toMatch(/^seed:1:\d+$/);
      expect(host.email).toMatch(/@example\.com$/);
    }
  });

  it.each([1, 2, 3, 4, 5])("produces only input the services accept (seed %i)", (seed) => {
    const data = generateDemoData({ hosts: 30, listingsPerHost: 5, seed, extraHosts: 2 });
    for (const host of data.hosts) {
      expect(Host.RegisterInput.safeParse(host).success, host.email).toBe(true);
    }
    expect(data.extra.map((listings) => listings.map((l) => l.status))).toEqual([
      EXTRA_HOST_STATUSES,
      EXTRA_HOST_STATUSES,
    ]);
    for (const listing of allListings(data)) {
      const parsed = Listing.CreateInput.safeParse(listing.input);
      expect(parsed.error, listing.ref).toBeUndefined();
      // Nothing the schema would change (trimming, upper-casing): stored content is generated content.
      expect(parsed.data).toEqual(listing.input);
      expect(Listing.CreateInput.safeParse(listing.content).success).toBe(true);
      for (const step of listing.steps) {
        if (step.action === "update") {
          expect(Listing.UpdateInput.safeParse(step.changes).success, listing.ref).toBe(true);
        }
        if (step.action === "reject") {
          expect(Listing.RejectInput.safeParse({ reason: step.reason }).success).toBe(true);
        }
        if (step.action === "approve") {
          expect(Listing.ApproveInput.safeParse({ note: step.note }).success).toBe(true);
        }
      }
    }
  });

  it("refuses counts it cannot mean", () => {
    expect(() => generateDemoData({ hosts: -1, listingsPerHost: 1, seed: 1 })).toThrow(RangeError);
    expect(() => generateDemoData({ hosts: 1, listingsPerHost: 1.5, seed: 1 })).toThrow(/integer/);
    expect(() => generateDemoData({ hosts: 1, listingsPerHost: 1, seed: -3 })).toThrow(/seed/);
  });
});

// One table for this file: the tests below run in order and build on each other.
describe("seedDemoData", () => {
  let result: SeedResult;
  let demo: Awaited<ReturnType<typeof newHost>>;

  it("finds no listing in an empty table", async () => {
    demo = await newHost(); // a host alone is not a listing
    expect(await hasAnyListing()).toBe(false);
  });

  // 56 listings with photos: half a minute on a loaded two-core machine.
  it("brings every listing into its status through the services", {
    timeout: 120_000,
  }, async () => {
    result = await seedDemoData({ ...DEFAULTS, ...HERE, extraHostIds: [demo.hostId] });
    const data = generateDemoData({ ...DEFAULTS, extraHosts: 1 });
    const planned = allListings(data);
    expect(result.listings).toHaveLength(planned.length);
    expect(result.hosts).toBe(13);
    expect(result.skippedHosts).toBe(0);
    expect(result.cities).toBe(20);
    for (const status of Listing.STATUSES) expect(result.byStatus[status]).toBeGreaterThan(0);

    const byRef = new Map(planned.map((l) => [l.ref, l]));
    await Promise.all(
      result.listings.map(async (seeded) => {
        const plan = byRef.get(seeded.ref);
        const info = await Listing.get(admin, seeded.hostId, seeded.listingId);
        expect(info.status, seeded.ref).toBe(plan?.status);
        const { listingName, address, pricing, capacity, amenities, houseRules } = info;
        expect({ listingName, address, pricing, capacity, amenities, houseRules }).toEqual({
          listingName: plan?.content.listingName ?? "",
          address: plan?.content.address,
          pricing: plan?.content.pricing,
          capacity: plan?.content.capacity,
          amenities: plan?.content.amenities ?? [],
          houseRules: plan?.content.houseRules,
        });
        if (info.status === "REJECTED") expect(info.review?.reason).toBeTruthy();
      }),
    );
  });

  it("makes the online listings findable by city, as guests type it", async () => {
    const online = result.listings.filter((l) => l.status === "ONLINE");
    for (const city of new Set(online.map((l) => l.city))) {
      const typed = city.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
      const page = await Listing.search({ city: typed, limit: 100 });
      expect(page.items.map((i) => i.listingId).sort(), city).toEqual(
        online
          .filter((l) => l.city === city)
          .map((l) => l.listingId)
          .sort(),
      );
    }
  });

  it("mails no review decision to its generated hosts (example.com), only to the demo host", async () => {
    const generated = new Set(
      result.listings.map((l) => l.hostId).filter((hostId) => hostId !== demo.hostId),
    );
    expect(generated.size).toBe(12);
    for (const hostId of generated) {
      expect((await Host.get(admin, hostId)).reviewEmails, hostId).toBe(false);
    }
    expect((await Host.get(admin, demo.hostId)).reviewEmails).toBe(true);
  });

  it("gives the demo host a listing in every status", async () => {
    const mine = result.listings.filter((l) => l.hostId === demo.hostId);
    expect(mine.map((l) => l.status)).toEqual(EXTRA_HOST_STATUSES);
    const dashboard = await Listing.list(demo.actor, demo.hostId, { limit: 100 });
    expect(dashboard.items).toHaveLength(EXTRA_HOST_STATUSES.length - 1); // ARCHIVED is hidden
  });

  it("leaves hosts with listings alone when run again, and seeds only an empty table", async () => {
    expect(await hasAnyListing()).toBe(true);
    expect(await seedIfEmpty({ ...DEFAULTS, ...HERE })).toBeUndefined();
    const again = await seedDemoData({ ...DEFAULTS, ...HERE, extraHostIds: [demo.hostId] });
    expect(again).toMatchObject({ hosts: 0, skippedHosts: 13, listings: [], resumed: 0 });
    // Another seed: new hosts; the demo host, with listings of another seed, gets none.
    const more = await seedDemoData({
      hosts: 1,
      listingsPerHost: 2,
      seed: 2,
      ...HERE,
      extraHostIds: [demo.hostId],
    });
    expect(more).toMatchObject({ hosts: 1, skippedHosts: 1 });
    expect(more.listings).toHaveLength(2);
  });

  it("refuses an extra host that does not exist, before writing anything", async () => {
    const before = await Listing.reviewQueue(admin, { status: "DRAFT", limit: 100 });
    await expect(
      seedDemoData({
        hosts: 1,
        listingsPerHost: 1,
        seed: 99,
        ...HERE,
        extraHostIds: ["host_01J00000000000000000000000"],
      }),
    ).rejects.toBeInstanceOf(NotFound);
    const after = await Listing.reviewQueue(admin, { status: "DRAFT", limit: 100 });
    expect(after.items.length).toBe(before.items.length);
  });
});

describe("seedDemoData after a run that stopped half-way", () => {
  const OPTIONS = { hosts: 2, listingsPerHost: 4, seed: 7 };

  async function seeded(hostIds: string[]) {
    const all = await Promise.all(
      Listing.STATUSES.map((status) => Listing.reviewQueue(admin, { status, limit: 100 })),
    );
    return all.flatMap((page) => page.items).filter((l) => hostIds.includes(l.hostId));
  }

  it("finishes what the stopped run left, without writing a listing twice", async () => {
    const demo = await newHost();
    // A run whose photo processor never answers (the local stack stopped under it): it
    // stops at the first listing whose photos do not get READY.
    const stopped = await seedDemoData({
      ...OPTIONS,
      extraHostIds: [demo.hostId],
      photos: "stage",
      photoTimeoutMs: 300,
    }).catch((error: Error) => error);
    expect(stopped).toBeInstanceOf(PhotosNotProcessed);

    const finished = await seedDemoData({ ...OPTIONS, ...HERE, extraHostIds: [demo.hostId] });
    const planned = generateDemoData({ ...OPTIONS, extraHosts: 1 });
    const hostIds = [...new Set(finished.listings.map((l) => l.hostId))];
    expect(hostIds).toContain(demo.hostId);
    expect(finished.resumed).toBeGreaterThan(0);
    const listings = await seeded(hostIds);
    expect(listings).toHaveLength(allListings(planned).length);
    expect(listings.map((l) => l.status).sort()).toEqual(
      allListings(planned)
        .map((l) => l.status)
        .sort(),
    );
    for (const listing of listings) {
      const images = await Photos.list(admin, listing.hostId, listing.listingId);
      expect(images.map((i) => i.status)).toEqual(images.map(() => "READY"));
      if (listing.status !== "DRAFT") expect(images.length).toBeGreaterThan(0);
    }
    // And a third run finds nothing left to do.
    const third = await seedDemoData({ ...OPTIONS, ...HERE, extraHostIds: [demo.hostId] });
    expect(third).toMatchObject({ listings: [], skippedHosts: 3 });
  });

  it("takes a listing on from the step where it stopped", async () => {
    const options = { hosts: 1, listingsPerHost: 6, seed: 8 };
    const [host] = generateDemoData(options).hosts;
    const plan = host?.listings.find((l) => l.status === "OFFLINE");
    if (!host || !plan) throw new Error("seed 8 has no OFFLINE listing; pick another");
    // What an earlier run left: the host, the listing created, photographed and submitted.
    const { hostId } = await Host.register(host);
    const actor = { sub: "seed:earlier", groups: ["hosts"], hostId };
    const { listingId } = await Listing.create(actor, hostId, plan.input);
    await addTestPhoto(actor, hostId, listingId);
    await Listing.submit(actor, hostId, listingId);

    const result = await seedDemoData({ ...options, ...HERE });
    expect(result.resumed).toBe(1);
    expect(result.listings.find((l) => l.ref === plan.ref)).toMatchObject({
      listingId,
      status: "OFFLINE",
    });
    const listings = await seeded([hostId]);
    expect(listings).toHaveLength(options.listingsPerHost);
    expect((await Listing.get(admin, hostId, listingId)).photos).toHaveLength(1);
  });
});
