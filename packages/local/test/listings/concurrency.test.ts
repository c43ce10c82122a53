import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Api,
  completeListing,
  type Info,
  type Page,
  type PublicInfo,
  paths,
  type Reply,
  type User,
} from "./client.js";

/**
 * Many clients, one listing, all at once through the gateway. Optimistic locking and the
 * conditional status writes must make the outcome one of the serial ones: exactly one winner
 * per version, no lost or half-applied change, and the listing, its GET, search and the review
 * queue agreeing afterwards.
 */
let api: Api;
let owner: User;
let admin: User;
let otherAdmin: User;

beforeAll(async () => {
  api = await Api.start();
  [owner, admin, otherAdmin] = await Promise.all([api.host("owner"), api.admin(), api.admin()]);
});
afterAll(() => api?.stop());

const count = <T>(list: T[], predicate: (item: T) => boolean) => list.filter(predicate).length;

/** The change client `i` makes: several fields at once, each telling which client wrote it. */
function changeOf(i: number) {
  return {
    listingName: `Winner ${i}`,
    description: `Written by client ${i}`,
    capacity: { guests: 1 + (i % 50), bedrooms: i % 5, beds: 1 + (i % 7), bathrooms: 1 },
    pricing: { nightlyPrice: 10_000 + i, currency: "CHF" },
    checkInTime: `${10 + (i % 10)}:${String(i % 60).padStart(2, "0")}`,
  };
}

describe("concurrent PATCHes of one version", () => {
  it("50 at once: exactly one 200, 49 × 409 VERSION_CONFLICT, and the stored listing is the winner's change, whole", async () => {
    const before = await api.listingIn("DRAFT", owner, admin);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.call<Info>("PATCH", paths.listing(owner.hostId, before.listingId), {
          token: owner.token,
          // Half say the version in the body, half in If-Match: both are the same precondition.
          ...(i % 2
            ? { json: { ...changeOf(i), version: before.version } }
            : { json: changeOf(i), headers: { "if-match": `"${before.version}"` } }),
        }),
      ),
    );

    const statuses = replies.map((r) => r.status);
    expect(
      count(statuses, (s) => s === 200),
      JSON.stringify(statuses),
    ).toBe(1);
    expect(count(statuses, (s) => s === 409)).toBe(49);
    for (const loser of replies.filter((r) => r.status === 409)) {
      expect(loser.error?.code).toBe("VERSION_CONFLICT");
      expect(loser.error?.details).toMatchObject({
        expectedVersion: before.version,
        currentVersion: before.version + 1,
      });
    }

    const won = replies.find((r) => r.status === 200) as Reply<Info>;
    const winner = replies.indexOf(won);
    expect(won.headers.get("etag")).toBe(`"${before.version + 1}"`);
    const stored = await api.get(owner, before.listingId);
    // Exactly the winner's change on top of what was there: no field from another client,
    // no field of the winner missing, nested objects replaced whole, one version more.
    expect(stored).toEqual({
      ...before,
      ...changeOf(winner),
      version: before.version + 1,
      updatedAt: expect.any(String),
    });
    expect(stored).toEqual(won.body);
  });

  it("10 clients that reload and retry on VERSION_CONFLICT all get their change in, one version each", async () => {
    const before = await api.listingIn("DRAFT", owner, admin);
    const path = paths.listing(owner.hostId, before.listingId);
    const client = async (i: number): Promise<{ i: number; conflicts: number; wrote: Info }> => {
      for (let conflicts = 0; conflicts < 100; conflicts++) {
        const current = await api.get(owner, before.listingId);
        const reply = await api.call<Info>("PATCH", path, {
          token: owner.token,
          json: changeOf(i),
          headers: { "if-match": `"${current.version}"` },
        });
        if (reply.status === 200) return { i, conflicts, wrote: reply.body };
        expect(reply.status, reply.text).toBe(409);
        expect(reply.error?.code).toBe("VERSION_CONFLICT");
      }
      throw new Error(`client ${i} never got its change in`);
    };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client(i)));

    // Every write is its own version: 10 writes, versions before+1 ... before+10, no gaps.
    const versions = results.map((r) => r.wrote.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 10 }, (_, k) => before.version + 1 + k));
    for (const { i, wrote } of results) expect(wrote).toMatchObject(changeOf(i));
    // The stored listing is the last write, whole.
    const last = results.find((r) => r.wrote.version === before.version + 10);
    expect(await api.get(owner, before.listingId)).toEqual(last?.wrote);
  });
});

describe("concurrent status changes", () => {
  it("20 clients toggling publish/unpublish at once end in one consistent state: GET, search, the public page and the status index agree", async () => {
    const city = "Toggleville";
    const before = await api.listingIn("ONLINE", owner, admin, completeListing(city));
    // Each client toggles 5 times in a row, half of them starting with unpublish, so the
    // requests keep overlapping and many of them win.
    type Action = "publish" | "unpublish";
    const client = async (c: number) => {
      const done: { action: Action; reply: Reply<Info> }[] = [];
      for (let k = 0; k < 5; k++) {
        const action: Action = (c + k) % 2 ? "publish" : "unpublish";
        const reply = await api.call<Info>("PUT", paths[action](owner.hostId, before.listingId), {
          token: owner.token,
        });
        done.push({ action, reply });
      }
      return done;
    };
    const calls = (await Promise.all(Array.from({ length: 20 }, (_, c) => client(c)))).flat();

    const wins: Info[] = [];
    for (const { action, reply } of calls) {
      if (reply.status === 200) {
        expect(reply.body.status).toBe(action === "publish" ? "ONLINE" : "OFFLINE");
        wins.push(reply.body);
        continue;
      }
      // Refused: the listing was already there, or it kept changing under this request.
      expect(reply.status, reply.text).toBe(409);
      expect(["INVALID_TRANSITION", "CONFLICT"]).toContain(reply.error?.code);
    }
    expect(wins.length).toBeGreaterThan(0);
    // The successful toggles form one serial history: versions before+1 ... before+n, and the
    // status alternates OFFLINE, ONLINE, OFFLINE, ... starting from ONLINE.
    wins.sort((a, b) => a.version - b.version);
    expect(wins.map((w) => w.version)).toEqual(wins.map((_, k) => before.version + 1 + k));
    expect(wins.map((w) => w.status)).toEqual(wins.map((_, k) => (k % 2 ? "ONLINE" : "OFFLINE")));

    const final = await api.get(owner, before.listingId);
    expect(final.version).toBe(before.version + wins.length);
    expect(final.status).toBe(wins.at(-1)?.status ?? "ONLINE");
    const online = final.status === "ONLINE";

    const search = await api.ok<Page<PublicInfo>>(200, "GET", paths.search({ city }));
    expect(search.items.map((l) => l.listingId)).toEqual(online ? [before.listingId] : []);
    const page = await api.call("GET", paths.public(before.listingId));
    expect(page.status).toBe(online ? 200 : 404);
    for (const status of ["ONLINE", "OFFLINE"]) {
      const queue = await api.ok<Page<Info>>(
        200,
        "GET",
        `${paths.queue()}?status=${status}&limit=100`,
        { token: admin.token },
      );
      expect(
        queue.items.some((l) => l.listingId === before.listingId),
        status,
      ).toBe(status === final.status);
    }
  });

  it("10 submits at once: one 200, the others 409 INVALID_TRANSITION, and the listing is in the review queue once", async () => {
    const draft = await api.listingIn("DRAFT", owner, admin);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.call<Info>("POST", paths.submit(owner.hostId, draft.listingId), { token: owner.token }),
      ),
    );
    expect(count(replies, (r) => r.status === 200)).toBe(1);
    for (const r of replies.filter((r) => r.status !== 200)) {
      expect(r.status, r.text).toBe(409);
      expect(["INVALID_TRANSITION", "CONFLICT"]).toContain(r.error?.code);
    }
    const queue = await api.allPages<Info>(paths.queue(), { limit: "100" }, admin.token);
    const inQueue = queue.flatMap((p) => p.items).filter((l) => l.listingId === draft.listingId);
    expect(inQueue).toHaveLength(1);
    expect(inQueue[0]?.version).toBe(draft.version + 1);
  });

  it("two admins approve and reject at once: exactly one decision wins and the listing shows it", async () => {
    for (let round = 0; round < 5; round++) {
      const listing = await api.listingIn("IN_REVIEW", owner, admin);
      const [approved, rejected] = await Promise.all([
        api.call<Info>("POST", paths.approve(listing.listingId), {
          token: admin.token,
          json: { photosRev: listing.photosRev },
        }),
        api.call<Info>("POST", paths.reject(listing.listingId), {
          token: otherAdmin.token,
          json: { reason: "Not what the photos show" },
        }),
      ]);
      expect([approved.status, rejected.status].sort()).toEqual([200, 409]);
      const winner = approved.status === 200 ? approved : rejected;
      const loser = approved.status === 200 ? rejected : approved;
      expect(["INVALID_TRANSITION", "CONFLICT"]).toContain(loser.error?.code);
      const stored = await api.get(owner, listing.listingId);
      expect(stored).toEqual(winner.body);
      expect(stored.status).toBe(approved.status === 200 ? "APPROVED" : "REJECTED");
      expect(stored.review?.decision).toBe(stored.status);
    }
  });
});
