import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Api,
  completeListing,
  type Info,
  type PhotoInfo,
  type PublicInfo,
  paths,
  type UploadTicket,
  type User,
} from "./client.js";

/**
 * A listing's photos end to end on the local stack, as the dashboard and a guest use them:
 * ask for an upload, POST the file to the (local) bucket, the upload event reaches the real
 * processor, the photo turns READY, and once the listing is ONLINE guests see it and can
 * fetch its variants.
 */
let api: Api;
let host: User;
let admin: User;

beforeAll(async () => {
  api = await Api.start();
  [host, admin] = await Promise.all([api.host("host"), api.admin()]);
});
afterAll(() => api?.stop());

/** A camera JPEG: 1600×1200 stored sideways with EXIF orientation 6, and GPS tags. */
async function cameraJpeg(): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  const left = { r: 200, g: 30, b: 30 };
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 200 } } })
    .composite([
      {
        input: { create: { width: 200, height, channels: 3, background: left } },
        left: 0,
        top: 0,
      },
    ])
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: "LocalstaysCam" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "47/1 22/1 0/1" },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

describe("photos, end to end", () => {
  it("upload → processed → required to submit → seen by guests once ONLINE", async () => {
    const listing = await api.create(host, completeListing("Photo Valley"));
    expect(listing.missingForSubmit).toEqual(["photos"]);
    const submitWithout = await api.call("POST", paths.submit(host.hostId, listing.listingId), {
      token: host.token,
    });
    expect(submitWithout.status).toBe(400);

    const bytes = await cameraJpeg();
    const started = Date.now();
    const photo = await api.addPhoto(host, listing.listingId, { bytes, contentType: "image/jpeg" });
    const seconds = (Date.now() - started) / 1000;
    expect(photo.status).toBe("READY");
    expect(seconds).toBeLessThan(20); // "within seconds"; the poll gives up at 20 s anyway
    // Upright: the sideways 1600×1200 is shown 1200×1600.
    expect([photo.width, photo.height]).toEqual([1200, 1600]);
    expect(photo.variants?.map((v) => [v.name, v.width, v.height])).toEqual([
      ["xl", 1200, 1600],
      ["md", 1024, 1365],
      ["sm", 400, 533],
    ]);

    // The variant guests fetch: WebP, upright, no EXIF (no GPS) left.
    const md = photo.variants?.find((v) => v.name === "md");
    const response = await fetch(md?.url ?? "");
    expect(response.status).toBe(200);
    const variant = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(variant).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 1024, height: 1365 });
    expect(meta.exif).toBeUndefined();
    // The red band was the stored image's left edge; orientation 6 puts it on top.
    const { data } = await sharp(variant)
      .extract({ left: 500, top: 20, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(150);

    await api.submit(host, listing.listingId);
    await api.approve(admin, listing);
    const guestsBefore = await api.call("GET", paths.public(listing.listingId));
    expect(guestsBefore.status).toBe(404);
    await api.publish(host, listing.listingId);

    const guestView = await api.ok<PublicInfo>(200, "GET", paths.public(listing.listingId));
    expect(guestView.photos).toEqual([
      {
        imageId: photo.imageId,
        width: 1200,
        height: 1600,
        placeholder: photo.placeholder,
        variants: photo.variants,
      },
    ]);
    const search = await api.ok<{ items: PublicInfo[] }>(
      200,
      "GET",
      paths.search({ city: "photo valley" }),
    );
    expect(search.items[0]?.photos[0]?.imageId).toBe(photo.imageId);

    // A second photo on the live listing: once processed, the listing is back in review and
    // gone for guests until an admin approves the photo set they saw (photosRev).
    const seen = await api.get(host, listing.listingId);
    const second = await api.addPhoto(host, listing.listingId, {
      bytes: await cameraJpeg(),
      contentType: "image/jpeg",
    });
    const inReview = await api.get(host, listing.listingId);
    expect(inReview.status).toBe("IN_REVIEW");
    expect((await api.call("GET", paths.public(listing.listingId))).status).toBe(404);
    // An approval that names no photo set is refused, whoever sends it.
    const unnamed = await api.call("POST", paths.approve(listing.listingId), {
      token: admin.token,
      json: { note: "Looks fine" },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.error?.code).toBe("VALIDATION_ERROR");
    const stale = await api.call("POST", paths.approve(listing.listingId), {
      token: admin.token,
      json: { photosRev: seen.photosRev },
    });
    expect(stale.status).toBe(409);
    expect(stale.error).toMatchObject({
      code: "PHOTOS_CHANGED",
      details: { currentPhotosRev: inReview.photosRev },
    });
    await api.ok<Info>(200, "POST", paths.approve(listing.listingId), {
      token: admin.token,
      json: { photosRev: inReview.photosRev },
    });
    await api.publish(host, listing.listingId);
    const after = await api.ok<PublicInfo>(200, "GET", paths.public(listing.listingId));
    expect(after.photos.map((p) => p.imageId)).toEqual([photo.imageId, second.imageId]);
  });

  it("a hostile upload fails with a reason and the worker carries on", async () => {
    const listing = await api.create(host, completeListing("Hostile Bay"));
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    const failed = await api.addPhoto(host, listing.listingId, {
      bytes: html,
      contentType: "image/jpeg",
    });
    expect(failed).toMatchObject({ status: "FAILED", failureReason: "UNSUPPORTED_FORMAT" });
    const fine = await api.addPhoto(host, listing.listingId);
    expect(fine.status).toBe("READY");
    expect(api.stack.uploads.deadLetters).toEqual([]);
    const current = await api.get(host, listing.listingId);
    expect(current.photos.map((p) => p.imageId)).toEqual([fine.imageId]);
  });

  it("order, cover and delete through the API", async () => {
    const listing = await api.create(host, completeListing("Order Town"));
    const first = await api.addPhoto(host, listing.listingId);
    const second = await api.addPhoto(host, listing.listingId);
    const images = paths.images(host.hostId, listing.listingId);

    const ordered = await api.ok<{ items: PhotoInfo[] }>(200, "PUT", `${images}/order`, {
      token: host.token,
      json: { order: [first.imageId, second.imageId], cover: second.imageId },
    });
    expect(ordered.items.map((i) => [i.imageId, i.cover])).toEqual([
      [second.imageId, true],
      [first.imageId, false],
    ]);
    const bad = await api.call("PUT", `${images}/order`, {
      token: host.token,
      json: { order: [first.imageId] },
    });
    expect(bad.status).toBe(400);

    await api.ok(204, "DELETE", paths.image(host.hostId, listing.listingId, second.imageId), {
      token: host.token,
    });
    const gone = await fetch(second.variants?.[0]?.url ?? "");
    expect(gone.status).toBe(404);
    const after = await api.get(host, listing.listingId);
    expect(after.photos.map((p) => p.imageId)).toEqual([first.imageId]);
    const again = await api.call(
      "DELETE",
      paths.image(host.hostId, listing.listingId, second.imageId),
      { token: host.token },
    );
    expect(again.status).toBe(404);
  });

  it("refuses a 31st photo and a HEIC with clear errors", async () => {
    // A host of its own whose pending-upload quota (30 by default, core/quota) an admin has
    // raised: the listing's photo limit (also 30) is what this test is about.
    const fresh = await api.host("limit-host");
    const raised = await api.call("PATCH", `/api/v1/admin/hosts/${fresh.hostId}/quotas`, {
      token: admin.token,
      json: { pendingUploads: 40, reason: "Photo limit test" },
    });
    expect(raised.status, raised.text).toBe(200);
    const listing = await api.create(fresh, completeListing("Limit City"));
    const images = paths.images(fresh.hostId, listing.listingId);
    const ask = (json: object) =>
      api.call<UploadTicket>("POST", images, { token: fresh.token, json });
    for (let i = 0; i < 30; i++) {
      expect((await ask({ contentType: "image/webp", contentLength: 100 })).status).toBe(201);
    }
    const over = await ask({ contentType: "image/webp", contentLength: 100 });
    expect(over.status).toBe(409);
    expect(over.error?.code).toBe("PHOTO_LIMIT");
    const heic = await ask({ contentType: "image/heic", contentLength: 100 });
    expect(heic.status).toBe(400);
    expect(heic.error?.message ?? JSON.stringify(heic.error?.details)).toBeTruthy();
    const info: Info = await api.get(fresh, listing.listingId);
    expect(info.photos).toEqual([]);
  });
});
