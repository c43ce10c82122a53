import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Api,
  checkEdit,
  completeListing,
  type Info,
  type Page,
  type PublicInfo,
  paths,
  REVIEWED_STATUSES,
  type Reply,
  type User,
} from "./client.js";

/**
 * A listing's life as the host, the admin and a guest live it, through the API only:
 * create, edit with If-Match, submit, approve, publish, found by guests, unpublish, gone;
 * and the other way: rejected with a reason, edited, back to a draft, submitted again.
 */
let api: Api;
let host: User;
let admin: User;

beforeAll(async () => {
  api = await Api.start();
  [host, admin] = await Promise.all([api.host("host"), api.admin()]);
});
afterAll(() => api?.stop());

const etagOf = (reply: Reply) => reply.headers.get("etag");

/** The ids a guest finds in a city, over all pages. */
async function searchIds(city: string): Promise<string[]> {
  const pages = await api.allPages<PublicInfo>("/api/v1/listings", { city, limit: "100" });
  return pages.flatMap((p) => p.items.map((l) => l.listingId));
}

/** The review queue (oldest first), over all pages. */
async function queue(status = "IN_REVIEW"): Promise<Info[]> {
  const pages = await api.allPages<Info>(paths.queue(), { status, limit: "100" }, admin.token);
  return pages.flatMap((p) => p.items);
}

describe("the happy path: from a draft to search and out again", () => {
  it("create → edit (If-Match) → submit → approve → publish → found → unpublish → gone", async () => {
    // Create: a draft with only a name; it says what it still needs.
    const created = await api.call<Info>("POST", paths.listings(host.hostId), {
      token: host.token,
      json: { listingName: "Loft by the lake" },
    });
    expect(created.status).toBe(201);
    const listing = created.body;
    expect(listing).toMatchObject({ status: "DRAFT", version: 1, hostId: host.hostId });
    expect(listing.missingForSubmit).toEqual(
      expect.arrayContaining(["description", "propertyType", "address", "capacity", "pricing"]),
    );
    const self = paths.listing(host.hostId, listing.listingId);
    expect(created.headers.get("location")).toBe(self);
    expect(etagOf(created)).toBe('"1"');

    const read = await api.call<Info>("GET", self, { token: host.token });
    expect(read.body).toEqual(listing);
    expect(etagOf(read)).toBe('"1"');

    // Not complete yet: submit names what is missing.
    const early = await api.call("POST", paths.submit(host.hostId, listing.listingId), {
      token: host.token,
    });
    expect(early.status).toBe(400);
    expect(early.error?.code).toBe("VALIDATION_ERROR");
    expect(Object.keys(early.error?.details?.fields as object)).toEqual(
      expect.arrayContaining(["description", "address", "pricing"]),
    );

    // Edit with the ETag just read.
    const { listingName: _, ...rest } = completeListing("Zürich");
    const edited = await api.call<Info>("PATCH", self, {
      token: host.token,
      json: rest,
      headers: { "if-match": etagOf(read) ?? "" },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(etagOf(edited)).toBe('"2"');
    expect(edited.body).toMatchObject({
      status: "DRAFT",
      version: 2,
      missingForSubmit: ["photos"],
    });
    // A photo, uploaded and processed; photos do not change the version.
    const photo = await api.addPhoto(host, listing.listingId);
    const withPhoto = await api.get(host, listing.listingId);
    expect(withPhoto).toMatchObject({ version: 2, missingForSubmit: [] });
    expect(withPhoto.photos.map((p) => p.imageId)).toEqual([photo.imageId]);

    // A stale ETag and no precondition at all are refused, and change nothing.
    const stale = await api.call("PATCH", self, {
      token: host.token,
      json: { houseRules: "Lost update" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.error?.code).toBe("VERSION_CONFLICT");
    expect(stale.error?.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    const blind = await api.call("PATCH", self, {
      token: host.token,
      json: { houseRules: "Blind" },
    });
    expect(blind.status).toBe(400);
    expect(blind.error?.code).toBe("VALIDATION_ERROR");
    expect(await api.get(host, listing.listingId)).toEqual(withPhoto);

    // A weak ETag names the same version.
    const weak = await api.call<Info>("PATCH", self, {
      token: host.token,
      json: { houseRules: "No parties, no smoking." },
      headers: { "if-match": 'W/"2"' },
    });
    expect(weak.status, weak.text).toBe(200);
    expect(weak.body.version).toBe(3);

    // Submit: into the review queue.
    const submitted = await api.submit(host, listing.listingId);
    expect(submitted).toMatchObject({ status: "IN_REVIEW", version: 4 });
    expect(submitted.submittedAt).toEqual(expect.any(String));
    const waiting = await queue();
    expect(waiting.map((l) => l.listingId)).toContain(listing.listingId);

    // Not reviewed: cannot go online, and guests do not see it.
    const tooSoon = await api.call("PUT", paths.publish(host.hostId, listing.listingId), {
      token: host.token,
    });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.error).toMatchObject({
      code: "INVALID_TRANSITION",
      details: { from: "IN_REVIEW", to: "ONLINE" },
    });
    expect(await searchIds("zurich")).not.toContain(listing.listingId);

    // The admin approves with a note; the reviewer is recorded but not shown.
    const approved = await api.approve(admin, listing, "Lovely photos");
    expect(approved).toMatchObject({
      status: "APPROVED",
      review: { decision: "APPROVED", note: "Lovely photos" },
    });
    expect(approved.review).not.toHaveProperty("reviewedBy");
    expect((await queue()).map((l) => l.listingId)).not.toContain(listing.listingId);
    expect(await searchIds("zurich")).not.toContain(listing.listingId);

    // Publish: guests find it by the city however they spell it, and can open it.
    const online = await api.publish(host, listing.listingId);
    expect(online.status).toBe("ONLINE");
    expect(online.publishedAt).toEqual(expect.any(String));
    for (const city of ["zurich", "Zürich", "ZÜRICH"]) {
      expect(await searchIds(city), city).toContain(listing.listingId);
    }
    const page = await api.call<PublicInfo>("GET", paths.public(listing.listingId));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      listingId: listing.listingId,
      listingName: "Loft by the lake",
      location: { city: "Zürich", country: "CH" },
      houseRules: "No parties, no smoking.",
    });

    // Unpublish: gone from search and from the public page.
    const offline = await api.unpublish(host, listing.listingId);
    expect(offline.status).toBe("OFFLINE");
    expect(await searchIds("zurich")).not.toContain(listing.listingId);
    expect((await api.call("GET", paths.public(listing.listingId))).status).toBe(404);
  });

  it("the review queue is oldest first", async () => {
    const first = await api.listingIn("IN_REVIEW", host, admin);
    const second = await api.listingIn("IN_REVIEW", host, admin);
    const ids = (await queue()).map((l) => l.listingId);
    expect(ids.indexOf(first.listingId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.listingId)).toBeLessThan(ids.indexOf(second.listingId));
  });
});

describe("rejected: edit, back to a draft, submit again", () => {
  it("reject with a reason → edit → DRAFT → submit → IN_REVIEW without the old review", async () => {
    const listing = await api.listingIn("IN_REVIEW", host, admin, completeListing("Basel"));

    // A rejection needs a reason.
    for (const body of [undefined, {}, { reason: "" }, { reason: "   " }]) {
      const refused = await api.call("POST", paths.reject(listing.listingId), {
        token: admin.token,
        ...(body === undefined ? {} : { json: body }),
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.error?.code).toBe("VALIDATION_ERROR");
    }
    const rejected = await api.reject(admin, listing.listingId, "The photos show another flat");
    expect(rejected).toMatchObject({
      status: "REJECTED",
      review: { decision: "REJECTED", reason: "The photos show another flat" },
    });
    expect((await queue()).map((l) => l.listingId)).not.toContain(listing.listingId);

    // The host sees why, and cannot publish a rejected listing.
    const seen = await api.get(host, listing.listingId);
    expect(seen.review?.reason).toBe("The photos show another flat");
    const publish = await api.call("PUT", paths.publish(host.hostId, listing.listingId), {
      token: host.token,
    });
    expect(publish.status).toBe(409);
    expect(publish.error?.code).toBe("INVALID_TRANSITION");

    // Any edit makes it a draft again.
    const edited = await api.call<Info>("PATCH", paths.listing(host.hostId, listing.listingId), {
      token: host.token,
      json: { description: "Now with the right photos." },
      headers: { "if-match": `"${seen.version}"` },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ status: "DRAFT", version: seen.version + 1 });

    // Submitted again: back in the queue, the old decision gone.
    const resubmitted = await api.submit(host, listing.listingId);
    expect(resubmitted.status).toBe("IN_REVIEW");
    expect(resubmitted.review).toBeUndefined();
    expect((await queue()).map((l) => l.listingId)).toContain(listing.listingId);
  });
});

describe("edits of an ONLINE listing", () => {
  it("a price change stays online; a content change goes back to review and out of search until approved and published again", async () => {
    const listing = await api.listingIn("ONLINE", host, admin, completeListing("Luzern"));
    const self = paths.listing(host.hostId, listing.listingId);

    const repriced = await api.ok<Info>(200, "PATCH", self, {
      token: host.token,
      json: { version: listing.version, pricing: { nightlyPrice: 21_000, currency: "CHF" } },
    });
    expect(repriced.status).toBe("ONLINE");
    const found = await api.ok<Page<PublicInfo>>(200, "GET", paths.search({ city: "luzern" }));
    expect(found.items.find((l) => l.listingId === listing.listingId)?.pricing.nightlyPrice).toBe(
      21_000,
    );

    const rewritten = await api.ok<Info>(200, "PATCH", self, {
      token: host.token,
      json: { version: repriced.version, description: "Now with a sauna." },
    });
    expect(rewritten.status).toBe("IN_REVIEW");
    expect(await searchIds("luzern")).not.toContain(listing.listingId);
    expect((await queue()).map((l) => l.listingId)).toContain(listing.listingId);

    await api.approve(admin, listing);
    await api.publish(host, listing.listingId);
    expect(await searchIds("luzern")).toContain(listing.listingId);
    const page = await api.ok<PublicInfo>(200, "GET", paths.public(listing.listingId));
    expect(page.description).toBe("Now with a sauna.");
  });
});

describe("clearing a field of a listing past submit", () => {
  // Past the draft stage an edit must leave the listing complete (else 400): guests and the
  // admin never see one without a price or an address, and every reader keeps working.
  const fields = Object.keys(completeListing());
  it.each(REVIEWED_STATUSES.flatMap((status) => fields.map((field) => ({ status, field }))))(
    "$field: null on a $status listing leaves it complete",
    async ({ status, field }) => {
      await checkEdit(api, { owner: host, admin }, status, { [field]: null });
    },
  );
});

describe("archiving", () => {
  it("DELETE archives (204, again 204): out of search and the default list, kept under ?status=ARCHIVED", async () => {
    const listing = await api.listingIn("ONLINE", host, admin, completeListing("Chur"));
    const self = paths.listing(host.hostId, listing.listingId);
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await api.call("DELETE", self, { token: host.token });
      expect(reply.status).toBe(204);
      expect(reply.text).toBe("");
    }
    expect(await searchIds("chur")).not.toContain(listing.listingId);
    expect((await api.call("GET", paths.public(listing.listingId))).status).toBe(404);
    const archived = await api.get(host, listing.listingId);
    expect(archived.status).toBe("ARCHIVED");
    expect(archived.version).toBe(listing.version + 1);

    const list = await api.allPages<Info>(
      paths.listings(host.hostId),
      { limit: "100" },
      host.token,
    );
    expect(list.flatMap((p) => p.items).map((l) => l.listingId)).not.toContain(listing.listingId);
    const kept = await api.allPages<Info>(
      paths.listings(host.hostId),
      { status: "ARCHIVED", limit: "100" },
      host.token,
    );
    expect(kept.flatMap((p) => p.items).map((l) => l.listingId)).toContain(listing.listingId);

    // Final: nothing brings it back.
    for (const [method, path] of [
      ["PUT", paths.publish(host.hostId, listing.listingId)],
      ["POST", paths.submit(host.hostId, listing.listingId)],
    ] as const) {
      const reply = await api.call(method, path, { token: host.token });
      expect(reply.status).toBe(409);
      expect(reply.error?.code).toBe("INVALID_TRANSITION");
    }
    const edit = await api.call("PATCH", self, {
      token: host.token,
      json: { version: archived.version, houseRules: "Back?" },
    });
    expect(edit.status).toBe(409);
  });
});
