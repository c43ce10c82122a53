import { DEFAULT_QUOTAS } from "@localstays/core/quota/limits";
import { demoPhoto, postUpload } from "@localstays/core/seed/photos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, type PhotoInfo, paths, type UploadTicket, type User } from "./client.js";

/**
 * Per-host quotas through the gateway: what a refusal looks like, and
 * the fairness they buy. The processor takes uploads in arrival order and a host can have at
 * most `pendingUploads` photos waiting, so at most that many of one host's photos are
 * processed between another host's upload and that photo's turn; in time, that many photos'
 * processing divided by the processor's concurrency (docs/photos.md has the figures).
 */
let api: Api;
let flooder: User;
let neighbour: User;
let admin: User;

beforeAll(async () => {
  api = await Api.start();
  [flooder, neighbour, admin] = await Promise.all([
    api.host("flooder"),
    api.host("neighbour"),
    api.admin(),
  ]);
});
afterAll(() => api?.stop());

const quotasPath = (hostId: string) => `/api/v1/admin/hosts/${hostId}/quotas`;

describe("PATCH /api/v1/admin/hosts/{hostId}/quotas", () => {
  const raise = { listings: 250, reason: "Property manager with many flats" };

  // Who may call it (admins only; ID tokens refused): the authorization matrix.
  it("lets an admin raise a host's limit and answers the quotas in effect", async () => {
    const reply = await api.call<{ quotas: Record<string, { limit: number; default: number }> }>(
      "PATCH",
      quotasPath(neighbour.hostId),
      { token: admin.token, json: raise },
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.quotas.listings).toMatchObject({
      limit: 250,
      default: DEFAULT_QUOTAS.listings,
    });
    const invalid = await api.call("PATCH", quotasPath(neighbour.hostId), {
      token: admin.token,
      json: { listings: -1, reason: "" },
    });
    expect(invalid.status).toBe(400);
  });
});

describe("fair photo processing", () => {
  it("refuses a host's upload requests past its pending quota (429, Retry-After), and delays another host's photo by at most that many photos", async () => {
    const limit = DEFAULT_QUOTAS.pendingUploads;
    const bytes = await demoPhoto(1, 640);
    const request = (host: User, listingId: string) =>
      api.send("POST", paths.images(host.hostId, listingId), {
        token: host.token,
        json: { contentType: "image/jpeg", contentLength: bytes.byteLength },
      });

    // The flooder asks for more than its quota, across two listings.
    const listings = [await api.create(flooder), await api.create(flooder)];
    const replies = [];
    for (let i = 0; i < limit + 10; i++) {
      replies.push(await request(flooder, (listings[i % 2] as { listingId: string }).listingId));
    }
    const accepted = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 429);
    expect(accepted).toHaveLength(limit);
    expect(refused).toHaveLength(10);
    const refusal = JSON.parse(refused[0]?.text ?? "{}");
    expect(refusal.error).toMatchObject({
      code: "QUOTA_EXCEEDED",
      details: { quota: "pendingUploads", limit, used: limit },
    });
    expect(Number(refused[0]?.headers.get("retry-after"))).toBeGreaterThan(0);

    // All its photos go into the queue at once; then the neighbour uploads one.
    const tickets = accepted.map((r) => JSON.parse(r.text) as UploadTicket);
    await Promise.all(tickets.map((t) => postUpload(t.upload, bytes, "image/jpeg")));
    const own = await api.create(neighbour);
    const queuedAt = new Date().toISOString();
    const ticket = JSON.parse((await request(neighbour, own.listingId)).text) as UploadTicket;
    await postUpload(ticket.upload, bytes, "image/jpeg");
    const started = performance.now();
    const done = await api.processed(neighbour, own.listingId, ticket.image.imageId);
    const waitedMs = Math.round(performance.now() - started);
    expect(done.status).toBe("READY");

    const flooderPhotos: PhotoInfo[] = (
      await Promise.all(listings.map((l) => api.photos(flooder, l.listingId)))
    ).flat();
    const ahead = flooderPhotos.filter(
      (p) => p.processedAt && p.processedAt > queuedAt && p.processedAt <= (done.processedAt ?? ""),
    );
    expect(ahead.length).toBeLessThanOrEqual(limit);
    // Once its photos are done, the flooder's slots are free again.
    for (const listing of listings) {
      for (const photo of await api.photos(flooder, listing.listingId)) {
        await api.processed(flooder, listing.listingId, photo.imageId);
      }
    }
    expect((await request(flooder, (listings[0] as { listingId: string }).listingId)).status).toBe(
      201,
    );
    console.info(
      `fairness: ${ahead.length} of the flooder's ${limit} photos went first; the neighbour's photo was READY ${waitedMs} ms after its upload`,
    );
  }, 180_000);
});
