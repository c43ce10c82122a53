import { routes } from "@localstays/functions/routes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Api,
  completeListing,
  fill,
  type Info,
  listingRoutes,
  type Page,
  paths,
  routeKey,
  type Status,
  type User,
} from "./client.js";

/**
 * Who may call which listing route: every listing route of the route table against every
 * kind of caller, through the gateway. Each cell acts on a fresh listing in the status the
 * route needs to succeed, so a refusal is the authorization rule and nothing else:
 *
 *   owner             the listing's host, under its own hostId
 *   otherHost         another signed-in host, under the owner's hostId      -> 403, before any read
 *   otherHostOwnPath  another host, the owner's listing under its own hostId -> 404 (not revealed)
 *   admin             the admins group, under the owner's hostId            -> allowed
 *   anonymous         no token                                              -> 401 (gateway)
 *   ownerIdToken      the owner's ID token (same client, valid signature)   -> 401 (access tokens only)
 */

/** The route key of each listing route in the table, as a type: the matrix must name them all. */
type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;
type ListingRouteKey = RouteKeyOf<
  Extract<(typeof routes)[number], { path: `${string}/listings${string}` }>
>;

const CALLERS = [
  "owner",
  "otherHost",
  "otherHostOwnPath",
  "admin",
  "anonymous",
  "ownerIdToken",
] as const;
type Caller = (typeof CALLERS)[number];

interface Row {
  /** The status of the fresh listing the request acts on (its city is unique to the cell). */
  given: Status;
  /** The request body, from that listing. */
  body?: (listing: Info) => unknown;
  /** The query string, from that listing. */
  query?: (listing: Info) => Record<string, string>;
  expect: Record<Caller, number>;
}

const MATRIX = {
  // ---- a host's own listings: owner and admin yes, another host 403, anonymous 401 ----
  "POST /api/v1/hosts/{hostId}/listings": {
    given: "DRAFT",
    body: () => completeListing("Lugano"),
    expect: {
      owner: 201,
      otherHost: 403,
      otherHostOwnPath: 201,
      admin: 201,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "GET /api/v1/hosts/{hostId}/listings": {
    given: "DRAFT",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 200,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "GET /api/v1/hosts/{hostId}/listings/{listingId}": {
    given: "DRAFT",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "PATCH /api/v1/hosts/{hostId}/listings/{listingId}": {
    given: "DRAFT",
    body: ({ version }) => ({ version, listingName: "Renamed loft" }),
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "DELETE /api/v1/hosts/{hostId}/listings/{listingId}": {
    given: "DRAFT",
    expect: {
      owner: 204,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 204,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "POST /api/v1/hosts/{hostId}/listings/{listingId}/submit": {
    given: "DRAFT",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "PUT /api/v1/hosts/{hostId}/listings/{listingId}/publish": {
    given: "APPROVED",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "PUT /api/v1/hosts/{hostId}/listings/{listingId}/unpublish": {
    given: "ONLINE",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  // ---- review: admins only; the check is in core, so signed-in hosts get 403 ----
  "GET /api/v1/admin/listings": {
    given: "IN_REVIEW",
    expect: {
      owner: 403,
      otherHost: 403,
      otherHostOwnPath: 403,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "POST /api/v1/admin/listings/{listingId}/approve": {
    given: "IN_REVIEW",
    body: (listing) => ({ note: "Looks good", photosRev: listing.photosRev }),
    expect: {
      owner: 403,
      otherHost: 403,
      otherHostOwnPath: 403,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "POST /api/v1/admin/listings/{listingId}/reject": {
    given: "IN_REVIEW",
    body: () => ({ reason: "The description does not match the flat" }),
    expect: {
      owner: 403,
      otherHost: 403,
      otherHostOwnPath: 403,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  // ---- guests: anyone, with or without a token, sees ONLINE listings ----
  "GET /api/v1/listings": {
    given: "ONLINE",
    query: (listing) => ({ city: listing.address?.city ?? "" }),
    expect: {
      owner: 200,
      otherHost: 200,
      otherHostOwnPath: 200,
      admin: 200,
      anonymous: 200,
      ownerIdToken: 200,
    },
  },
  "GET /api/v1/listings/{listingId}": {
    given: "ONLINE",
    expect: {
      owner: 200,
      otherHost: 200,
      otherHostOwnPath: 200,
      admin: 200,
      anonymous: 200,
      ownerIdToken: 200,
    },
  },
  // ---- a listing's photos: like the listing itself ----
  "POST /api/v1/hosts/{hostId}/listings/{listingId}/images": {
    given: "DRAFT",
    body: () => ({ contentType: "image/jpeg", contentLength: 2048 }),
    expect: {
      owner: 201,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 201,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "GET /api/v1/hosts/{hostId}/listings/{listingId}/images": {
    given: "DRAFT",
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "PUT /api/v1/hosts/{hostId}/listings/{listingId}/images/order": {
    given: "DRAFT",
    body: (listing) => ({ order: listing.photos.map((p) => p.imageId) }),
    expect: {
      owner: 200,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 200,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
  "DELETE /api/v1/hosts/{hostId}/listings/{listingId}/images/{imageId}": {
    given: "DRAFT",
    expect: {
      owner: 204,
      otherHost: 403,
      otherHostOwnPath: 404,
      admin: 204,
      anonymous: 401,
      ownerIdToken: 401,
    },
  },
} as const satisfies Record<ListingRouteKey, Row>;

const ERROR_CODES: Record<number, string> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
};

let api: Api;
let owner: User;
let intruder: User;
let admin: User;
let cell = 0;

beforeAll(async () => {
  api = await Api.start();
  [owner, intruder, admin] = await Promise.all([
    api.host("owner"),
    api.host("intruder"),
    api.admin(),
  ]);
});
afterAll(() => api?.stop());

function tokenOf(caller: Caller): string | undefined {
  return {
    owner: owner.token,
    otherHost: intruder.token,
    otherHostOwnPath: intruder.token,
    admin: admin.token,
    anonymous: undefined,
    ownerIdToken: owner.idToken,
  }[caller];
}

describe("the authorization matrix", () => {
  it("has a row for every listing route of the route table, and no other", () => {
    expect(listingRoutes.length).toBeGreaterThan(0);
    expect(Object.keys(MATRIX).sort()).toEqual(listingRoutes.map(routeKey).sort());
  });

  const cases = listingRoutes.flatMap((route) => {
    const row: Row | undefined = (MATRIX as Record<string, Row>)[routeKey(route)];
    return row
      ? CALLERS.map((caller) => ({ route, row, caller, expected: row.expect[caller] }))
      : [];
  });

  it.each(cases)("$route.method $route.path as $caller → $expected", async (c) => {
    const { route, row, caller, expected } = c;
    // A city of its own, so search finds this cell's listing on the first page.
    const listing = await api.listingIn(
      row.given,
      owner,
      admin,
      completeListing(`Matrix City ${++cell}`),
    );
    const hostId = caller === "otherHostOwnPath" ? intruder.hostId : owner.hostId;
    const token = tokenOf(caller);
    const query = row.query ? `?${new URLSearchParams(row.query(listing))}` : "";
    const imageId = listing.photos[0]?.imageId ?? "no-photo";
    const path = fill(route.path, { hostId, listingId: listing.listingId, imageId }) + query;
    const body = row.body?.(listing);

    const reply = await api.call(route.method, path, {
      token,
      ...(body === undefined ? {} : { json: body }),
    });

    expect(reply.status, reply.text).toBe(expected);
    if (expected >= 400) {
      expect(reply.error?.code).toBe(ERROR_CODES[expected]);
      // A refused request changes nothing, photos included.
      expect(await api.get(owner, listing.listingId)).toEqual(listing);
      expect(await api.photos(owner, listing.listingId)).toHaveLength(listing.photos.length);
    }
  });
});

/**
 * The quota route (core/quota): admins only, for any host; a host cannot raise its own
 * limits. "Own path" is the other host under its own hostId.
 */
const QUOTA_ROUTE = "PATCH /api/v1/admin/hosts/{hostId}/quotas";
const QUOTA_CELLS: Record<Caller, number> = {
  owner: 403,
  otherHost: 403,
  otherHostOwnPath: 403,
  admin: 200,
  anonymous: 401,
  ownerIdToken: 401,
};

describe(`the authorization matrix: ${QUOTA_ROUTE}`, () => {
  it("is in the route table", () => {
    expect(routes.map(routeKey)).toContain(QUOTA_ROUTE);
  });

  it.each(CALLERS.map((caller) => ({ caller, expected: QUOTA_CELLS[caller] })))(
    "as $caller → $expected",
    async ({ caller, expected }) => {
      const hostId = caller === "otherHostOwnPath" ? intruder.hostId : owner.hostId;
      const path = fill("/api/v1/admin/hosts/{hostId}/quotas", { hostId });
      // No route reads quotas: an admin's no-op change (one quota back to its default, as it
      // already is) answers the quotas in effect.
      const readBack = async () =>
        (
          await api.ok<{ quotas: unknown }>(200, "PATCH", path, {
            token: admin.token,
            json: { uploadRequestsPerHour: null, reason: "Read back by the matrix" },
          })
        ).quotas;
      const before = await readBack();
      const reply = await api.call<{ quotas: unknown }>("PATCH", path, {
        token: tokenOf(caller),
        json: { pendingUploads: 31, reason: "Matrix cell" },
      });
      expect(reply.status, reply.text).toBe(expected);
      if (expected >= 400) {
        expect(reply.error?.code).toBe(ERROR_CODES[expected]);
        // A refused request changes nothing.
        expect(await readBack()).toEqual(before);
      }
    },
  );
});

describe("what the allowed cells reveal", () => {
  it("a host's own list never shows another host's listings", async () => {
    const listing = await api.listingIn("DRAFT", owner, admin);
    const list = await api.ok<Page<Info>>(200, "GET", paths.listings(intruder.hostId), {
      token: intruder.token,
    });
    expect(list.items.map((l) => l.listingId)).not.toContain(listing.listingId);
    expect(list.items.every((l) => l.hostId === intruder.hostId)).toBe(true);
  });

  it("an admin creates a listing for the host named in the path, not for itself", async () => {
    const created = await api.ok<Info>(201, "POST", paths.listings(owner.hostId), {
      token: admin.token,
      json: completeListing(),
    });
    expect(created.hostId).toBe(owner.hostId);
    expect((await api.get(owner, created.listingId)).status).toBe("DRAFT");
  });

  it("an admin acting for a host that does not exist gets 404, not a listing without a host", async () => {
    const reply = await api.call("POST", paths.listings("host_01ARZ3NDEKTSV4RRFFQ69G5FAV"), {
      token: admin.token,
      json: {},
    });
    expect(reply.status).toBe(404);
    expect(reply.error?.code).toBe("NOT_FOUND");
  });

  it("public routes hide a listing that is not ONLINE, even from its owner's token", async () => {
    for (const status of ["DRAFT", "IN_REVIEW", "APPROVED", "OFFLINE"] as const) {
      const listing = await api.listingIn(status, owner, admin);
      const reply = await api.call("GET", paths.public(listing.listingId), { token: owner.token });
      expect(reply.status, status).toBe(404);
    }
  });
});
