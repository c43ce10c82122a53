import { Listing } from "@localstays/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgeToken } from "../../src/testing.js";
import {
  Api,
  allRoutes,
  assertWellFormed,
  base64url,
  checkEdit,
  completeListing,
  decodeCursor,
  fill,
  type Info,
  type Page,
  paths,
  routeKey,
  type User,
} from "./client.js";

/**
 * Whatever a client sends to whichever route, the API answers with a 2xx or a 4xx in the
 * error shape: never a 5xx. `Api.call` asserts both rules on every answer; the properties
 * below only generate requests. Every route of the route table is fuzzed, with bodies that
 * are JSON, almost-listings and not JSON at all, query strings with repeated keys, huge
 * numbers, unicode and empty values, URL-encoded path parameters, and valid, invalid and
 * forged tokens. Fixed seeds keep the runs reproducible.
 */
const SEED = 42;
const RUNS_PER_ROUTE = 40;
const RUNS_OF_EDITS = 25;
const RUNS_PER_CURSOR_ROUTE = 50;

let api: Api;
let owner: User;
let intruder: User;
let admin: User;
const ids: Record<"online" | "draft" | "inReview" | "approved" | "rejected", string> = {
  online: "",
  draft: "",
  inReview: "",
  approved: "",
  rejected: "",
};
/** The photos of those listings (each got one), for the image routes. */
const imageIds: string[] = [];
/** The tokens the token arbitrary picks from, by label (undefined: no Authorization header). */
const tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  api = await Api.start();
  [owner, intruder, admin] = await Promise.all([
    api.host("owner"),
    api.host("intruder"),
    api.admin(),
  ]);
  ids.online = (await api.listingIn("ONLINE", owner, admin)).listingId;
  ids.draft = (await api.listingIn("DRAFT", owner, admin)).listingId;
  ids.inReview = (await api.listingIn("IN_REVIEW", owner, admin)).listingId;
  ids.approved = (await api.listingIn("APPROVED", owner, admin)).listingId;
  ids.rejected = (await api.listingIn("REJECTED", owner, admin)).listingId;
  for (const listingId of Object.values(ids)) {
    imageIds.push(...(await api.photos(owner, listingId)).map((i) => i.imageId));
  }
  const now = Math.floor(Date.now() / 1000);
  const forge = (claims: Parameters<typeof forgeToken>[1]) => forgeToken(api.stack.outputs, claims);
  Object.assign(tokens, {
    owner: owner.token,
    intruder: intruder.token,
    admin: admin.token,
    none: undefined,
    garbage: "garbage",
    empty: "",
    unsigned: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    expired: await forge({ sub: owner.sub, iat: now - 7200, exp: now - 3600 }),
    wrongAudience: await forge({ sub: owner.sub, aud: "some-other-client" }),
    // Signed and valid, but the user has no host record (sign-up trigger not run yet).
    noHostRecord: await forge({ sub: "nobody", "cognito:groups": ["hosts"] }),
    noHostRecordAdmin: await forge({ sub: "nobody-admin", "cognito:groups": "admins" }),
    emptySub: await forge({ sub: "" }),
  });
});
afterAll(() => api?.stop());

// ---- arbitraries ----

const enc = encodeURIComponent;
const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
/** Strings from every corner: ASCII, graphemes, any code point, and long ones. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ minLength: 90, maxLength: 300 }),
);
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const idLike = (prefix: string) =>
  fc
    .string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 })
    .map((s) => `${prefix}_${s}`);

/** One path segment, already encoded: real ids, id look-alikes, random text, raw oddities. */
function segment(real: () => string[], prefix: string): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(0, 1, 2, 3, 4).map((i) => enc(real()[i % real().length] ?? "")),
    },
    { weight: 1, arbitrary: idLike(prefix).map(enc) },
    { weight: 2, arbitrary: anyString.filter((s) => s.length > 0).map(enc) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "%",
        "%ZZ",
        "%E0%A4%A",
        "%00",
        "%2F",
        "a%2Fb",
        "..",
        ".",
        "%20",
        "~",
        "-",
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(enc("x".repeat(3000)), enc("ü".repeat(700))) },
  );
}
const hostIdSegment = segment(() => [owner.hostId, intruder.hostId, admin.hostId], "host");
const listingIdSegment = segment(() => Object.values(ids), "listing");
const imageIdSegment = segment(() => imageIds, "image");

const QUERY_KEYS = [
  "city",
  "guests",
  "minPrice",
  "maxPrice",
  "limit",
  "cursor",
  "status",
  "version",
];
const queryValue = fc.oneof(
  fc.constantFrom(
    "",
    "zurich",
    "Zürich",
    "ZU\u0308RICH",
    "-",
    "\u0301",
    "DRAFT",
    "IN_REVIEW",
    "ONLINE",
    "ARCHIVED",
    "online",
    "1",
    "5",
    "50",
    "51",
    "100",
    "101",
    "0",
    "-1",
    "1.5",
    "1e3",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "0x10",
    " 7 ",
    "null",
    "[]",
    "true",
    "9007199254740993",
  ),
  fc.bigInt().map(String),
  fc.double().map(String),
  anyString,
  fc.jsonValue().map((v) => base64url(JSON.stringify(v) ?? "")),
);
/** A raw query string: repeated keys, bare keys, unknown keys, any values; often after a valid start. */
const queryString = fc
  .tuple(
    fc.constantFrom("", "", "city=zurich", "city=Z%C3%BCrich&limit=2", "status=ONLINE", "limit=1"),
    fc.array(
      fc.record({
        key: fc.oneof(fc.constantFrom(...QUERY_KEYS), anyString),
        value: queryValue,
        bare: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  )
  .map(([start, pairs]) =>
    [start, ...pairs.map((p) => (p.bare ? enc(p.key) : `${enc(p.key)}=${enc(p.value)}`))]
      .filter(Boolean)
      .join("&"),
  );

/** Almost a listing: the right field names with right, wrong and null values. */
const almostListing = fc.record(
  {
    version: fc.oneof(fc.nat(6), fc.integer(), fc.string(), fc.constant(null), fc.boolean()),
    listingName: fc.oneof(anyString, fc.constant(null), fc.integer()),
    description: fc.oneof(anyString, fc.constant(null)),
    propertyType: fc.oneof(fc.constantFrom("apartment", "house", "castle"), fc.constant(null)),
    address: fc.oneof(
      fc.constant(completeListing().address),
      fc.record(
        {
          street: anyString,
          city: anyString,
          postcode: anyString,
          country: anyString,
          lat: fc.double(),
        },
        { requiredKeys: [] },
      ),
      fc.constant(null),
    ),
    capacity: fc.oneof(
      fc.record({
        guests: fc.integer(),
        bedrooms: fc.integer(),
        beds: fc.integer(),
        bathrooms: fc.double(),
      }),
      fc.constant(null),
    ),
    pricing: fc.oneof(
      fc.record({
        nightlyPrice: fc.oneof(fc.integer(), fc.double()),
        currency: fc.constantFrom("CHF", "EUR", "XXX", "chf", ""),
      }),
      fc.constant(null),
    ),
    amenities: fc.oneof(
      fc.array(fc.oneof(fc.constantFrom(...Listing.AMENITIES), anyString)),
      fc.constant(null),
    ),
    checkInTime: fc.oneof(fc.constantFrom("15:00", "24:00", "7:00"), anyString, fc.constant(null)),
    houseRules: fc.oneof(anyString, fc.constant(null)),
    note: fc.oneof(anyString, fc.constant(null)),
    reason: fc.oneof(anyString, fc.constant(null)),
    hostId: fc.constantFrom("host_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    status: fc.constantFrom("ONLINE", "APPROVED"),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
  almostListing.map((v) => JSON.stringify(v)),
  anyString,
  fc.constantFrom(
    "{",
    "[",
    "null",
    '""',
    "0",
    "{}",
    '{"version":1e309}',
    '{"__proto__":{"version":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    `{"listingName":"${"x".repeat(200_000)}"}`,
  ),
);
const contentType = fc.constantFrom(
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/octet-stream",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
);
const ifMatch = fc.option(fc.oneof(ascii, fc.constantFrom('"1"', 'W/"2"', "*", '"1", "2"', "3")), {
  nil: undefined,
});

/** Mostly callers who get past the authorizer; also invalid and freshly forged tokens. */
const token = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("owner", "owner", "admin", "intruder") },
    { weight: 2, arbitrary: fc.constantFrom(...Object.keys(tokens)) },
    {
      weight: 1,
      arbitrary: fc.record({
        sub: fc.oneof(anyString, fc.constantFrom("owner", "admin")),
        groups: fc.oneof(fc.jsonValue(), fc.constantFrom(["admins"], "admins", "[admins hosts]")),
      }),
    },
  );

async function resolveToken(choice: string | { sub: string; groups: unknown }) {
  if (typeof choice === "string") return tokens[choice];
  const sub = choice.sub === "owner" ? owner.sub : choice.sub === "admin" ? admin.sub : choice.sub;
  return forgeToken(api.stack.outputs, { sub, "cognito:groups": choice.groups });
}

// ---- properties ----

describe("fuzzing every route of the route table", () => {
  it("covers the whole table", () => {
    expect(allRoutes.length).toBeGreaterThan(0);
  });

  it.each(allRoutes.map((route, index) => ({ route, index, key: routeKey(route) })))(
    "$key: never a 5xx, every error in the error shape",
    async ({ route, index }) => {
      const params = {
        hostId: hostIdSegment,
        listingId: listingIdSegment,
        imageId: imageIdSegment,
        query: queryString,
        body: route.method === "GET" ? fc.constant(undefined) : body,
        contentType,
        ifMatch,
        token: token(),
      };
      await fc.assert(
        fc.asyncProperty(fc.record(params), async (r) => {
          const path = fill(
            route.path,
            { hostId: r.hostId, listingId: r.listingId, imageId: r.imageId },
            true,
          );
          await api.call(route.method, `${path}${r.query ? `?${r.query}` : ""}`, {
            token: await resolveToken(r.token),
            raw: r.body,
            contentType: r.body === undefined ? undefined : r.contentType,
            headers: r.ifMatch === undefined ? {} : { "if-match": r.ifMatch },
          });
        }),
        { seed: SEED + index, numRuns: RUNS_PER_ROUTE },
      );
    },
  );

  it("survives path parameters at the size limits with every kind of caller", async () => {
    // DynamoDB keys are limited (2048 bytes partition, 1024 sort): a long id must be a 4xx.
    const long = {
      "3000 × x": "x".repeat(3000),
      "1100 × ü": "ü".repeat(1100),
      "listing_ + 2000 digits": `listing_${"0".repeat(2000)}`,
    };
    // A body each route accepts, so the request gets past validation to the storage layer.
    const validBody: Record<string, unknown> = {
      "PATCH /api/v1/hosts/{hostId}": { displayName: "Long ids" },
      "PATCH /api/v1/hosts/{hostId}/listings/{listingId}": { version: 1, listingName: "x" },
      "POST /api/v1/admin/listings/{listingId}/reject": { reason: "Too long" },
    };
    const failures: string[] = [];
    const real = { hostId: owner.hostId, listingId: ids.online, imageId: imageIds[0] ?? "" };
    for (const route of allRoutes) {
      // One parameter at its limit at a time, the others real: the whole path stays under
      // the request-line limit an HTTP server (and API Gateway) has anyway.
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as keyof typeof real);
      for (const name of names) {
        for (const [kind, value] of Object.entries(long)) {
          for (const who of ["owner", "admin", "none"]) {
            const path = fill(route.path, { ...real, [name]: value });
            const json = validBody[routeKey(route)] ?? {};
            const options = { token: tokens[who], ...(route.method === "GET" ? {} : { json }) };
            const reply = await api.send(route.method, path, options);
            try {
              assertWellFormed(`${route.method} ${path}`, reply.status, reply.text);
            } catch {
              failures.push(
                `${routeKey(route)} with {${name}} = ${kind}, as ${who}: ${reply.status} ${reply.text}`,
              );
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("fuzzing edits that pass validation", () => {
  const text = (max: number) =>
    fc.string({
      unit: fc.constantFrom(..."abc xyzäé-'\n".split("")),
      minLength: 1,
      maxLength: max,
    });
  const or = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, fc.constant(null));
  /** A PATCH the schema accepts: any subset of the fields, each valid or null. */
  const validEdit = fc
    .record(
      {
        listingName: or(text(100)),
        description: or(text(300)),
        propertyType: or(fc.constantFrom(...Listing.PROPERTY_TYPES)),
        address: or(
          fc.record({
            street: text(50),
            city: fc.constantFrom("Zürich", "ZURICH", "Bern"),
            postcode: fc.constantFrom("8001", "3011"),
            country: fc.constantFrom("CH", "ch"),
          }),
        ),
        capacity: or(
          fc.record({
            guests: fc.integer({ min: 1, max: 50 }),
            bedrooms: fc.integer({ min: 0, max: 50 }),
            beds: fc.integer({ min: 1, max: 100 }),
            bathrooms: fc.integer({ min: 0, max: 100 }).map((n) => n / 2),
          }),
        ),
        amenities: or(fc.subarray([...Listing.AMENITIES])),
        pricing: or(
          fc.record(
            {
              nightlyPrice: fc.integer({ min: 1, max: 10_000_000 }),
              currency: fc.constantFrom("CHF", "EUR", "usd"),
              cleaningFee: fc.integer({ min: 0, max: 10_000_000 }),
            },
            { requiredKeys: ["nightlyPrice", "currency"] },
          ),
        ),
        checkInTime: or(fc.constantFrom("00:00", "15:30", "23:59")),
        checkOutTime: or(fc.constantFrom("10:00", "11:00")),
        houseRules: or(text(200)),
      },
      { requiredKeys: [] },
    )
    .filter((edit) => Object.keys(edit).length > 0);
  const EDITABLE = ["DRAFT", "IN_REVIEW", "APPROVED", "REJECTED", "ONLINE", "OFFLINE"] as const;

  it("any valid edit in any status: a 2xx or 4xx, a listing past review stays complete, and every reader keeps working", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...EDITABLE), validEdit, (status, edit) =>
        checkEdit(api, { owner, admin }, status, edit),
      ),
      {
        seed: SEED,
        numRuns: RUNS_OF_EDITS,
      },
    );
    // Each run is a handful of API calls through the gateway: 22 s measured in a loaded CI run.
  }, 120_000);
});

describe("fuzzing the cursor of the paginated GETs", () => {
  /** The paginated routes, each with a real cursor and the caller who may page it. */
  interface Paged {
    name: string;
    path: (cursor: string) => string;
    token: () => string | undefined;
  }
  const paged: Paged[] = [
    {
      name: "GET /api/v1/hosts/{hostId}/listings",
      path: (cursor) => `${paths.listings(owner.hostId)}?limit=1&cursor=${enc(cursor)}`,
      token: () => owner.token,
    },
    {
      name: "GET /api/v1/admin/listings",
      path: (cursor) => `${paths.queue()}?status=ONLINE&limit=1&cursor=${enc(cursor)}`,
      token: () => admin.token,
    },
    {
      name: "GET /api/v1/listings",
      path: (cursor) => paths.search({ city: "zurich", limit: "1", cursor }),
      token: () => undefined,
    },
  ];
  /** A real cursor of each route, and one of another query of the same route. */
  const real: Record<string, { cursor: string; foreign: string }> = {};

  beforeAll(async () => {
    // Enough listings for a second page everywhere: two more ONLINE in Zürich, two in Bern.
    for (const city of ["Zürich", "Zürich", "Bern", "Bern"]) {
      await api.listingIn("ONLINE", owner, admin, completeListing(city));
    }
    await api.listingIn("ONLINE", intruder, admin, completeListing("Bern"));
    await api.listingIn("DRAFT", intruder, admin);
    const first = async (path: string, token?: string) => {
      const page = await api.ok<Page<Info>>(200, "GET", path, { token });
      if (!page.nextCursor) throw new Error(`${path} has no second page`);
      return page.nextCursor;
    };
    real[paged[0]?.name ?? ""] = {
      cursor: await first(`${paths.listings(owner.hostId)}?limit=1`, owner.token),
      foreign: await first(`${paths.listings(intruder.hostId)}?limit=1`, intruder.token),
    };
    real[paged[1]?.name ?? ""] = {
      cursor: await first(`${paths.queue()}?status=ONLINE&limit=1`, admin.token),
      foreign: await first(`${paths.queue()}?status=DRAFT&limit=1`, admin.token),
    };
    real[paged[2]?.name ?? ""] = {
      cursor: await first(paths.search({ city: "zurich", limit: "1" })),
      foreign: await first(paths.search({ city: "bern", limit: "1" })),
    };
  });

  /** The index partition key of a cursor (gsiNpk): a cursor naming another one is never valid. */
  const indexPk = (key: Record<string, string>) =>
    Object.entries(key).find(([field]) => /^gsi\d+pk$/.test(field));

  function tryDecode(cursor: string): Record<string, unknown> | undefined {
    try {
      const key: unknown = decodeCursor(cursor);
      return key && typeof key === "object" && !Array.isArray(key)
        ? (key as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  it.each(paged)("$name: a random or tampered cursor is a 400, never a 5xx", async (route) => {
    const own = real[route.name];
    if (!own) throw new Error(`no cursor for ${route.name}`);
    const key = decodeCursor(own.cursor);
    const [pkField, pk] = indexPk(key) ?? ["", ""];
    const cursor = fc.oneof(
      anyString,
      fc.constantFrom(own.foreign, ...Object.values(real).map((r) => r.cursor)),
      fc.jsonValue().map((v) => base64url(JSON.stringify(v) ?? "")),
      // Structurally valid: the right fields, random values.
      fc
        .tuple(...Object.keys(key).map(() => anyString))
        .map((values) =>
          base64url(
            JSON.stringify(Object.fromEntries(Object.keys(key).map((f, i) => [f, values[i]]))),
          ),
        ),
      // The real cursor with one field changed, dropped or added.
      fc
        .record({
          field: fc.constantFrom(...Object.keys(key), "extra"),
          value: fc.oneof(anyString, fc.constant(undefined), fc.jsonValue()),
          keepPrefix: fc.boolean(),
        })
        .map(({ field, value, keepPrefix }) => {
          const changed: Record<string, unknown> = { ...key };
          if (value === undefined) delete changed[field];
          else
            changed[field] =
              keepPrefix && typeof value === "string" ? `${key[field] ?? ""}${value}` : value;
          return base64url(JSON.stringify(changed));
        }),
    );
    await fc.assert(
      fc.asyncProperty(cursor, async (c) => {
        const reply = await api.call("GET", route.path(c), { token: route.token() });
        const decoded = tryDecode(c);
        const samePartition = decoded !== undefined && decoded[pkField] === pk;
        if (!samePartition || c === "" || c.length > 2048) {
          // Not a position in this query's partition: refused as the client's mistake.
          expect(reply.status, `cursor ${c}: ${reply.text}`).toBe(400);
        }
        if (reply.status !== 200) {
          expect(reply.status, reply.text).toBe(400);
          expect(reply.error?.code).toBe("VALIDATION_ERROR");
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_CURSOR_ROUTE },
    );
  });
});
