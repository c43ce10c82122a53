import { Listing } from "@localstays/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Api,
  base64url,
  completeListing,
  decodeCursor,
  type Info,
  type Page,
  type PublicInfo,
  paths,
  type Reply,
  type Status,
  type User,
} from "./client.js";

/**
 * Guest search, `GET /api/v1/listings?city=`, over a city with 23 ONLINE listings (its name
 * spelled several ways), listings of that city in every other status, and ONLINE listings in
 * other cities (one of them with "Zürich" in its name). Paging must return exactly the ONLINE
 * listings of the city, newest first, without duplicates or gaps; filters keep pages full;
 * cursors are checked; and guests never see what only the host and admins may see.
 */
let api: Api;
let hosts: User[];
let admin: User;

const ONLINE_IN_ZURICH = 23;
const SPELLINGS = ["Zürich", "ZÜRICH", "zurich", "Zu\u0308rich", "  Zürich  ", "ZURICH"];
/** The ONLINE listings of Zürich, as created, with the values the filters look at. */
const zurich: { listingId: string; guests: number; price: number }[] = [];
/** Zürich listings that are not (or no longer) ONLINE, by how they got there. */
const hidden: Record<string, string> = {};
const elsewhere: string[] = [];
/** What guests must never see, collected from the listings created. */
const secrets = new Set<string>();

/** Listing `i` of Zürich: its own guest count, price, street and postcode. */
function zurichListing(i: number) {
  const base = completeListing(SPELLINGS[i % SPELLINGS.length]);
  return {
    ...base,
    listingName: `Zürich flat ${i}`,
    address: { ...base.address, street: `Geheimgasse ${i}`, postcode: `PC-${8000 + i}` },
    capacity: { ...base.capacity, guests: 1 + (i % 6) },
    pricing: { ...base.pricing, nightlyPrice: 10_000 + 1_000 * i },
  };
}

/** Runs `tasks` a few at a time: quicker than one by one, gentler than all at once. */
async function inBatches<T>(tasks: Array<() => Promise<T>>, size = 6): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) {
    results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  }
  return results;
}

beforeAll(async () => {
  api = await Api.start();
  hosts = await Promise.all([api.host("ana"), api.host("ben"), api.host("cleo")]);
  admin = await api.admin();
  for (const host of hosts) secrets.add(host.hostId).add(host.email);
  const hostOf = (i: number) => hosts[i % hosts.length] as User;

  const online = await inBatches(
    Array.from({ length: ONLINE_IN_ZURICH }, (_, i) => async () => {
      const fields = zurichListing(i);
      const listing = await api.listingIn("ONLINE", hostOf(i), admin, fields);
      return {
        listingId: listing.listingId,
        guests: fields.capacity.guests,
        price: fields.pricing.nightlyPrice,
      };
    }),
  );
  zurich.push(...online);

  const others: Status[] = ["DRAFT", "IN_REVIEW", "APPROVED", "REJECTED", "OFFLINE", "ARCHIVED"];
  await inBatches(
    others.map((status, i) => async () => {
      hidden[status] = (
        await api.listingIn(status, hostOf(i), admin, zurichListing(100 + i))
      ).listingId;
    }),
  );
  // ONLINE once, then a content edit sent it back to review: it must have left search.
  const edited = await api.listingIn("ONLINE", hostOf(0), admin, zurichListing(200));
  await api.ok(200, "PATCH", paths.listing(hostOf(0).hostId, edited.listingId), {
    token: hostOf(0).token,
    json: { version: edited.version, description: "Now with a sauna" },
  });
  hidden["ONLINE, then edited"] = edited.listingId;

  for (const city of ["Zürichberg", "Bern", "Bern", "Genève", "Zurich Airport"]) {
    elsewhere.push(
      (await api.listingIn("ONLINE", hostOf(1), admin, completeListing(city))).listingId,
    );
  }

  for (let i = 0; i < 300; i++) {
    const { address } = zurichListing(i);
    secrets.add(address.street).add(address.postcode);
  }
  secrets.add(completeListing().address.street);
});
afterAll(() => api?.stop());

/** Newest listing first: the listing id is a ULID, so that is descending id order. */
const newestFirst = (ids: string[]) => [...ids].sort().reverse();
const idsOf = (pages: Page<PublicInfo>[]) => pages.flatMap((p) => p.items.map((l) => l.listingId));

describe("paging through one city", () => {
  it("?city=zurich&limit=5 returns exactly the ONLINE listings of Zürich, newest first, in full pages", async () => {
    const pages = await api.allPages<PublicInfo>("/api/v1/listings", {
      city: "zurich",
      limit: "5",
    });
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(pages.some((p) => p.truncated)).toBe(false);
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst(zurich.map((l) => l.listingId)));
    for (const id of [...Object.values(hidden), ...elsewhere]) expect(ids).not.toContain(id);
  });

  it("pages again in the same order, whatever the page size", async () => {
    const expected = newestFirst(zurich.map((l) => l.listingId));
    for (const limit of ["1", "5", "7", "23", "100"]) {
      const pages = await api.allPages<PublicInfo>("/api/v1/listings", { city: "zurich", limit });
      expect(idsOf(pages), `limit ${limit}`).toEqual(expected);
    }
  });

  it.each(SPELLINGS)("the city matches case- and accent-insensitively: %j", async (city) => {
    const pages = await api.allPages<PublicInfo>("/api/v1/listings", { city, limit: "100" });
    expect(idsOf(pages)).toEqual(newestFirst(zurich.map((l) => l.listingId)));
  });

  it("finds nothing for a city prefix or a longer name", async () => {
    for (const city of ["zur", "zurichb", "zurich x"]) {
      const pages = await api.allPages<PublicInfo>("/api/v1/listings", { city });
      expect(idsOf(pages), city).toEqual([]);
    }
  });

  it("a cursor is a position of the city key, not of the spelling: it goes on under another spelling", async () => {
    const first = await api.ok<Page<PublicInfo>>(
      200,
      "GET",
      paths.search({ city: "zurich", limit: "5" }),
    );
    const next = await api.ok<Page<PublicInfo>>(
      200,
      "GET",
      paths.search({ city: "ZÜRICH", limit: "5", cursor: first.nextCursor ?? "" }),
    );
    expect(idsOf([first, next])).toEqual(newestFirst(zurich.map((l) => l.listingId)).slice(0, 10));
  });

  it("hides the not-ONLINE listings of the city from the public page too", async () => {
    for (const [how, id] of Object.entries(hidden)) {
      const reply = await api.call("GET", paths.public(id));
      expect(reply.status, how).toBe(404);
      expect(reply.error?.code).toBe("NOT_FOUND");
    }
  });
});

describe("filters", () => {
  const filters: Array<Record<string, string>> = [
    { guests: "3" },
    { guests: "6" },
    { minPrice: "15000" },
    { maxPrice: "20000" },
    { minPrice: "12000", maxPrice: "12000" },
    { guests: "2", minPrice: "12000", maxPrice: "30000" },
    { guests: "7" },
    { minPrice: "999999" },
  ];

  it.each(filters)(
    "%o: exactly the matching listings, pages full until the last one",
    async (filter) => {
      const expected = newestFirst(
        zurich
          .filter(
            (l) =>
              (filter.guests === undefined || l.guests >= Number(filter.guests)) &&
              (filter.minPrice === undefined || l.price >= Number(filter.minPrice)) &&
              (filter.maxPrice === undefined || l.price <= Number(filter.maxPrice)),
          )
          .map((l) => l.listingId),
      );
      const pages = await api.allPages<PublicInfo>("/api/v1/listings", {
        city: "Zürich",
        limit: "3",
        ...filter,
      });
      expect(idsOf(pages)).toEqual(expected);
      const sizes = pages.map((p) => p.items.length);
      // Every page but the last is full; the last is empty only when nothing matches at all.
      expect(
        sizes.slice(0, -1).every((n) => n === 3),
        JSON.stringify(sizes),
      ).toBe(true);
      expect(sizes.at(-1)).toBe(expected.length === 0 ? 0 : ((expected.length - 1) % 3) + 1);
      for (const item of pages.flatMap((p) => p.items)) {
        if (filter.guests)
          expect(item.capacity.guests).toBeGreaterThanOrEqual(Number(filter.guests));
      }
    },
  );

  it.each([
    ["no city", {}],
    ["an empty city", { city: "" }],
    ["a city of only a dash", { city: "—" }],
    ["minPrice above maxPrice", { city: "zurich", minPrice: "20000", maxPrice: "10000" }],
    ["limit 0", { city: "zurich", limit: "0" }],
    ["limit 101", { city: "zurich", limit: "101" }],
    ["guests 0", { city: "zurich", guests: "0" }],
    ["a negative price", { city: "zurich", minPrice: "-1" }],
    ["a non-numeric guests", { city: "zurich", guests: "two" }],
    ["an unknown parameter", { city: "zurich", sort: "price" }],
  ])("refuses %s with 400 VALIDATION_ERROR", async (_, query) => {
    const reply = await api.call("GET", paths.search(query));
    expect(reply.status, reply.text).toBe(400);
    expect(reply.error?.code).toBe("VALIDATION_ERROR");
  });
});

describe("tampered cursors", () => {
  let bernCursor: string;
  let hostListCursor: string;
  let zurichCursor: string;

  beforeAll(async () => {
    const bern = await api.ok<Page<PublicInfo>>(
      200,
      "GET",
      paths.search({ city: "bern", limit: "1" }),
    );
    const mine = await api.ok<Page<Info>>(
      200,
      "GET",
      `${paths.listings(hosts[0]?.hostId ?? "")}?limit=1`,
      {
        token: hosts[0]?.token,
      },
    );
    const zurichPage = await api.ok<Page<PublicInfo>>(
      200,
      "GET",
      paths.search({ city: "zurich", limit: "1" }),
    );
    bernCursor = bern.nextCursor ?? "";
    hostListCursor = mine.nextCursor ?? "";
    zurichCursor = zurichPage.nextCursor ?? "";
    expect([bernCursor, hostListCursor, zurichCursor].every(Boolean)).toBe(true);
  });

  const withField = (cursor: string, field: string, value: unknown) =>
    base64url(JSON.stringify({ ...decodeCursor(cursor), [field]: value }));

  it.each([
    ["another city's cursor", () => bernCursor],
    ["a host list's cursor", () => hostListCursor],
    ["garbage", () => "!!not a cursor!!"],
    ["base64 of junk JSON", () => base64url(JSON.stringify({ a: 1, b: [2] }))],
    ["base64 of null", () => base64url("null")],
    ["base64 of an array", () => base64url(JSON.stringify(["pk", "sk"]))],
    ["base64 of a string", () => base64url(JSON.stringify("zurich"))],
    [
      "base64 of bytes that are not UTF-8 JSON",
      () => Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString("base64url"),
    ],
    [
      "this city's cursor with another city's partition",
      () => withField(zurichCursor, "gsi4pk", decodeCursor(bernCursor).gsi4pk),
    ],
    ["this city's cursor with a number for a key", () => withField(zurichCursor, "gsi4sk", 42)],
    ["this city's cursor with an empty key", () => withField(zurichCursor, "pk", "")],
    ["this city's cursor with an extra field", () => withField(zurichCursor, "gsi1pk", "x")],
    [
      "this city's cursor with a sort key of another index",
      () => withField(zurichCursor, "gsi4sk", "$host_1#x"),
    ],
    ["a cursor over 2048 characters", () => "a".repeat(2049)],
  ])("%s → 400 VALIDATION_ERROR", async (_, cursor) => {
    const reply = await api.call(
      "GET",
      paths.search({ city: "zurich", limit: "5", cursor: cursor() }),
    );
    expect(reply.status, reply.text).toBe(400);
    expect(reply.error?.code).toBe("VALIDATION_ERROR");
  });
});

describe("what guests see", () => {
  const FORBIDDEN_KEYS = [
    "hostId",
    "street",
    "postcode",
    "version",
    "email",
    "review",
    "reviewedBy",
    "cognitoSub",
  ];
  const ALLOWED_KEYS = Object.keys(Listing.PublicInfo.shape);

  function assertPublic(where: string, text: string) {
    const walk = (value: unknown, path: string) => {
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
      } else if (value && typeof value === "object") {
        for (const [key, v] of Object.entries(value)) {
          expect(FORBIDDEN_KEYS, `${where}: ${path}.${key}`).not.toContain(key);
          walk(v, `${path}.${key}`);
        }
      }
    };
    walk(JSON.parse(text), "$");
    for (const secret of secrets)
      expect(text.includes(secret), `${where} shows ${secret}`).toBe(false);
  }

  it("search pages never contain hostId, street, postcode, version or email, nor the values", async () => {
    let cursor: string | null = null;
    do {
      const reply: Reply<Page<PublicInfo>> = await api.call<Page<PublicInfo>>(
        "GET",
        paths.search({ city: "zurich", limit: "5", ...(cursor ? { cursor } : {}) }),
      );
      assertPublic("search", reply.text);
      for (const item of reply.body.items) {
        expect(Object.keys(item).filter((k) => !ALLOWED_KEYS.includes(k))).toEqual([]);
        // Coordinates to about a kilometre: two decimals at most.
        for (const degrees of [item.location.lat, item.location.lng]) {
          if (degrees !== undefined) expect(Math.round(degrees * 100) / 100).toBe(degrees);
        }
      }
      cursor = reply.body.nextCursor;
    } while (cursor);
  });

  it("the public page of each listing shows no more than search", async () => {
    for (const { listingId } of zurich) {
      const reply = await api.call<PublicInfo>("GET", paths.public(listingId));
      expect(reply.status).toBe(200);
      assertPublic(`public page of ${listingId}`, reply.text);
      expect(Object.keys(reply.body).filter((k) => !ALLOWED_KEYS.includes(k))).toEqual([]);
    }
  });
});

describe("every ONLINE listing can be found", () => {
  it.each(["Łódź", "Straße", "São Paulo", "'s-Hertogenbosch", "Île-de-Bréhat", "—", "-", "\u0301"])(
    "by a search for its own city, %j (or the address is refused up front)",
    async (city) => {
      const host = hosts[2] as User;
      const created = await api.call<Info>("POST", paths.listings(host.hostId), {
        token: host.token,
        json: completeListing(city),
      });
      if (created.status === 400) {
        expect(created.error?.code).toBe("VALIDATION_ERROR");
        return;
      }
      expect(created.status, created.text).toBe(201);
      const { listingId } = created.body;
      await api.addPhoto(host, listingId);
      await api.submit(host, listingId);
      await api.approve(admin, { hostId: host.hostId, listingId });
      await api.publish(host, listingId);
      const search = await api.call<Page<PublicInfo>>("GET", paths.search({ city, limit: "100" }));
      expect(
        search.status,
        `an ONLINE listing in ${JSON.stringify(city)} cannot be searched for: ${search.text}`,
      ).toBe(200);
      expect(search.body.items.map((l) => l.listingId)).toContain(listingId);
    },
  );
});
