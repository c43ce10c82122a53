import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import {
  Conflict,
  Forbidden,
  Listing,
  NotFound,
  Photos,
  PhotosChanged,
  ValidationError,
} from "../src/index.js";
import { listingEntity } from "../src/listing/entity.js";
import { StaleWrite, write } from "../src/listing/writes.js";
import { MAX_UPLOAD_BYTES } from "../src/photo/formats.js";
import { processUpload, UploadMissing } from "../src/photo/processing.js";
import { bucketName, s3Client } from "../src/s3.js";
import { demoPhoto, postUpload } from "../src/seed/photos.js";
import { uploadKey } from "../src/storage.js";
import {
  addTestPhoto,
  admin,
  completeListing,
  createComplete,
  newHost,
} from "./listing-fixtures.js";

async function draftWithOwner() {
  const owner = await newHost();
  const listing = await Listing.create(owner.actor, owner.hostId, completeListing());
  return { ...owner, listingId: listing.listingId };
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3Client().send(
    new ListObjectsV2Command({ Bucket: bucketName(), Prefix: prefix }),
  );
  return Contents.map((o) => o.Key ?? "").sort();
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: bucketName(), Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Requests an upload and stores `bytes` under its key, as a browser's POST would. */
async function upload(
  owner: Awaited<ReturnType<typeof draftWithOwner>>,
  bytes: Uint8Array,
  declared: { contentType?: "image/jpeg" | "image/png"; contentLength?: number } = {},
) {
  const contentType = declared.contentType ?? "image/jpeg";
  const ticket = await Photos.requestUpload(owner.actor, owner.hostId, owner.listingId, {
    contentType,
    contentLength: declared.contentLength ?? bytes.byteLength,
  });
  const key = uploadKey({
    hostId: owner.hostId,
    listingId: owner.listingId,
    imageId: ticket.image.imageId,
  });
  return { ticket, key, imageId: ticket.image.imageId, contentType };
}

describe("requesting an upload", () => {
  it("records a PENDING_UPLOAD photo and signs a POST pinned to its key, type and length", async () => {
    const owner = await draftWithOwner();
    const before = Date.now();
    const { image, upload: post } = await Photos.requestUpload(
      owner.actor,
      owner.hostId,
      owner.listingId,
      { contentType: "image/png", contentLength: 12345, caption: " Terrace " },
    );
    expect(image).toMatchObject({ status: "PENDING_UPLOAD", caption: "Terrace", cover: false });
    const key = uploadKey({
      hostId: owner.hostId,
      listingId: owner.listingId,
      imageId: image.imageId,
    });
    expect(post.fields.key).toBe(key);
    expect(post.fields["Content-Type"]).toBe("image/png");

    // The policy is what AWS enforces (s3rver does not): decode and read it.
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? "", "base64").toString("utf8"));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: bucketName() },
        { key },
        ["content-length-range", 12345, 12345],
        ["eq", "$Content-Type", "image/png"],
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(250_000);
    expect(expiresIn).toBeLessThanOrEqual(301_000);
    expect(Date.parse(post.expiresAt)).toBeCloseTo(Date.parse(policy.expiration), -4);
    expect(post.fields["X-Amz-Signature"]).toMatch(/^[0-9a-f]{64}$/);

    const listed = await Photos.list(owner.actor, owner.hostId, owner.listingId);
    expect(listed.map((i) => i.imageId)).toEqual([image.imageId]);
  });

  it.each([
    [
      "HEIC, with a hint to export as JPEG",
      { contentType: "image/heic", contentLength: 10 },
      /HEIC/,
    ],
    [
      "a type that is not an image",
      { contentType: "text/html", contentLength: 10 },
      /must be one of/,
    ],
    [
      "a file over 15 MiB",
      { contentType: "image/jpeg", contentLength: MAX_UPLOAD_BYTES + 1 },
      /15 MiB/,
    ],
    ["an empty file", { contentType: "image/jpeg", contentLength: 0 }, /./],
    ["an unknown field", { contentType: "image/jpeg", contentLength: 10, acl: "public-read" }, /./],
  ])("refuses %s", async (_, input, message) => {
    const owner = await draftWithOwner();
    const error = await Photos.requestUpload(
      owner.actor,
      owner.hostId,
      owner.listingId,
      input,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(error.details)).toMatch(message);
  });

  it("lets only the owner (or an admin) ask, and not for an archived listing", async () => {
    const owner = await draftWithOwner();
    const other = await newHost();
    const input = { contentType: "image/jpeg", contentLength: 10 };
    await expect(
      Photos.requestUpload(other.actor, owner.hostId, owner.listingId, input),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      Photos.requestUpload(other.actor, other.hostId, owner.listingId, input),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      Photos.requestUpload(admin, owner.hostId, owner.listingId, input),
    ).resolves.toBeDefined();
    await Listing.archive(owner.actor, owner.hostId, owner.listingId);
    await expect(
      Photos.requestUpload(owner.actor, owner.hostId, owner.listingId, input),
    ).rejects.toBeInstanceOf(Conflict);
  });

  it("holds the limit of 30 photos even under 35 concurrent requests", async () => {
    const owner = await draftWithOwner();
    const input = { contentType: "image/jpeg", contentLength: 10 };
    const results = await Promise.allSettled(
      Array.from({ length: 35 }, () =>
        Photos.requestUpload(owner.actor, owner.hostId, owner.listingId, input),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.length - refused.length).toBe(30);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "PHOTO_LIMIT" });
    }
    expect(await Photos.list(owner.actor, owner.hostId, owner.listingId)).toHaveLength(30);
  });
});

describe("processing an upload", () => {
  it("turns a POSTed JPEG into WebP variants, READY, on the listing, without the original", async () => {
    const owner = await draftWithOwner();
    const photo = await demoPhoto(3);
    const { ticket, key, imageId } = await upload(owner, photo);
    await postUpload(ticket.upload, photo, "image/jpeg");
    expect(await exists(key)).toBe(true);

    expect(await processUpload(key)).toMatchObject({ result: "READY", variants: 3 });
    expect(await exists(key)).toBe(false);
    const [image] = await Photos.list(owner.actor, owner.hostId, owner.listingId);
    expect(image).toMatchObject({ imageId, status: "READY", cover: true, width: 960, height: 640 });
    expect(image?.placeholder).toEqual(expect.any(String));
    expect(image?.variants?.map((v) => [v.name, v.width])).toEqual([
      ["xl", 960],
      ["md", 960],
      ["sm", 400],
    ]);
    // Guests fetch the variants from their URL (the bucket on s3rver, the CDN in AWS).
    const sm = image?.variants?.find((v) => v.name === "sm");
    const response = await fetch(sm?.url ?? "");
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(8, 12).toString("ascii")).toBe("WEBP");
    expect(body.byteLength).toBe(sm?.bytes);

    const listing = await Listing.get(owner.actor, owner.hostId, owner.listingId);
    expect(listing.photos.map((p) => p.imageId)).toEqual([imageId]);
    expect(listing.missingForSubmit).toEqual([]);
  });

  it("processes the same upload twice at once into one set of variants and one state change", async () => {
    const owner = await draftWithOwner();
    const photo = await demoPhoto(1, 400);
    const { ticket, key, imageId } = await upload(owner, photo);
    await postUpload(ticket.upload, photo, "image/jpeg");
    const outcomes = await Promise.all([processUpload(key), processUpload(key)]);
    expect(outcomes.map((o) => o.result).sort()).toEqual(["READY", "SKIPPED"]);
    expect(await processUpload(key)).toMatchObject({ result: "SKIPPED" });
    expect(await objectsUnder(`images/${owner.listingId}/${imageId}/`)).toHaveLength(3);
    const listing = await Listing.get(owner.actor, owner.hostId, owner.listingId);
    expect(listing.photos).toHaveLength(1);
  });

  /**
   * Runs `meanwhile` once, when the processor is about to look at the upload of `key` (after
   * it read the record as PENDING_UPLOAD): the moment two deliveries of one event race.
   */
  async function whileProcessorReads<T>(
    key: string,
    meanwhile: () => Promise<unknown>,
    run: () => Promise<T>,
  ) {
    const name = "test-meanwhile";
    let pending = true;
    s3Client().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (pending && context.commandName === "HeadObjectCommand" && input.Key === key) {
          pending = false;
          await meanwhile();
        }
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      return await run();
    } finally {
      s3Client().middlewareStack.remove(name);
    }
  }

  it("is done when another delivery made the photo READY and deleted the upload first", async () => {
    const owner = await draftWithOwner();
    const photo = await demoPhoto(2, 400);
    const { ticket, key, imageId } = await upload(owner, photo);
    await postUpload(ticket.upload, photo, "image/jpeg");
    let first: Awaited<ReturnType<typeof processUpload>> | undefined;
    const second = await whileProcessorReads(
      key,
      async () => {
        first = await processUpload(key);
      },
      () => processUpload(key),
    );
    expect(first).toMatchObject({ result: "READY" });
    expect(second).toEqual({ result: "SKIPPED", key, why: "already READY" });
    const [image] = await Photos.list(owner.actor, owner.hostId, owner.listingId);
    expect(image).toMatchObject({ imageId, status: "READY" });
  });

  it("is done when the host deleted the photo while the upload was read", async () => {
    const owner = await draftWithOwner();
    const photo = await demoPhoto(2, 400);
    const { ticket, key, imageId } = await upload(owner, photo);
    await postUpload(ticket.upload, photo, "image/jpeg");
    const outcome = await whileProcessorReads(
      key,
      () => Photos.remove(owner.actor, owner.hostId, owner.listingId, imageId),
      () => processUpload(key),
    );
    expect(outcome).toEqual({ result: "SKIPPED", key, why: "deleted meanwhile" });
  });

  it("fails (to be delivered again) when a PENDING_UPLOAD photo's upload is not there", async () => {
    const owner = await draftWithOwner();
    const { key, imageId } = await upload(owner, await demoPhoto(2, 400));
    // Never POSTed: the event of an object that is gone again (deleted by hand, a lifecycle rule).
    const error = await processUpload(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadMissing);
    expect((error as UploadMissing).message).toContain("PENDING_UPLOAD");
    const [image] = await Photos.list(owner.actor, owner.hostId, owner.listingId);
    expect(image).toMatchObject({ imageId, status: "PENDING_UPLOAD" });
  });

  it.each([
    [
      "an HTML page declared as a JPEG",
      Buffer.from("<!doctype html><title>hi</title>"),
      "UNSUPPORTED_FORMAT",
    ],
    [
      "random bytes",
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      "UNSUPPORTED_FORMAT",
    ],
  ])("marks %s FAILED (%s) and deletes it", async (_, bytes, reason) => {
    const owner = await draftWithOwner();
    const { ticket, key, imageId } = await upload(owner, bytes);
    await postUpload(ticket.upload, bytes, "image/jpeg");
    expect(await processUpload(key)).toMatchObject({ result: "FAILED", reason });
    expect(await exists(key)).toBe(false);
    const [image] = await Photos.list(owner.actor, owner.hostId, owner.listingId);
    expect(image).toMatchObject({ imageId, status: "FAILED", failureReason: reason });
    expect((await Listing.get(owner.actor, owner.hostId, owner.listingId)).photos).toEqual([]);
  });

  it("checks the real size, not the declared one (the local S3 enforces no policy)", async () => {
    const owner = await draftWithOwner();
    const { key } = await upload(owner, Buffer.alloc(10), { contentLength: 10 });
    // What a client ignoring the policy could store where AWS would have refused it.
    await s3Client().send(
      new PutObjectCommand({
        Bucket: bucketName(),
        Key: key,
        Body: Buffer.alloc(MAX_UPLOAD_BYTES + 1),
      }),
    );
    expect(await processUpload(key)).toMatchObject({ result: "FAILED", reason: "TOO_LARGE" });
  });

  it("skips keys it has no photo for and drops their object", async () => {
    const owner = await draftWithOwner();
    const key = uploadKey({
      hostId: owner.hostId,
      listingId: owner.listingId,
      imageId: "image_01JZZZZZZZZZZZZZZZZZZZZZZZ",
    });
    await s3Client().send(new PutObjectCommand({ Bucket: bucketName(), Key: key, Body: "x" }));
    expect(await processUpload(key)).toMatchObject({ result: "SKIPPED", why: "no such photo" });
    expect(await exists(key)).toBe(false);
    expect(await processUpload("uploads/../../etc/passwd")).toMatchObject({ result: "SKIPPED" });
    expect(await processUpload("images/x/y/xl.webp")).toMatchObject({ result: "SKIPPED" });
  });
});

describe("a listing's photos", () => {
  it("are needed to submit", async () => {
    const owner = await draftWithOwner();
    const error = await Listing.submit(owner.actor, owner.hostId, owner.listingId).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details.fields).toEqual({ photos: ["is required to submit"] });
    await addTestPhoto(owner.actor, owner.hostId, owner.listingId);
    expect((await Listing.submit(owner.actor, owner.hostId, owner.listingId)).status).toBe(
      "IN_REVIEW",
    );
  });

  it("are ordered by the host, cover first, for guests too", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId, "Photo Town");
    await addTestPhoto(actor, hostId, listingId, 1);
    await addTestPhoto(actor, hostId, listingId, 2);
    const ids = (await Photos.list(actor, hostId, listingId)).map((i) => i.imageId);
    expect(ids).toHaveLength(3);
    const [a, b, c] = ids as [string, string, string];

    const reordered = await Photos.reorder(actor, hostId, listingId, {
      order: [a, b, c],
      cover: c,
    });
    expect(reordered.map((i) => [i.imageId, i.cover])).toEqual([
      [c, true],
      [a, false],
      [b, false],
    ]);
    await Listing.submit(actor, hostId, listingId);
    await Listing.approve(admin, listingId);
    await Listing.publish(actor, hostId, listingId);
    const guestView = await Listing.getPublic(listingId);
    expect(guestView.photos.map((p) => p.imageId)).toEqual([c, a, b]);
    const [found] = (await Listing.search({ city: "photo town" })).items;
    expect(found?.photos.map((p) => p.imageId)).toEqual([c, a, b]);
    expect(found?.photos[0]?.variants.map((v) => v.url)).toEqual(
      ["xl", "md", "sm"].map((v) =>
        expect.stringMatching(new RegExp(`/images/${listingId}/${c}/${v}\\.webp$`)),
      ),
    );

    for (const order of [
      [a, b],
      [a, b, c, c],
      [a, b, "image_01JZZZZZZZZZZZZZZZZZZZZZZZ"],
    ]) {
      await expect(Photos.reorder(actor, hostId, listingId, { order })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });

  it("can be deleted, objects and all, but a live listing keeps its last one", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId, "Delete Town");
    await Listing.submit(actor, hostId, listingId);
    await Listing.approve(admin, listingId);
    await Listing.publish(actor, hostId, listingId);
    const [only] = await Photos.list(actor, hostId, listingId);
    const onlyId = only?.imageId ?? "";
    await expect(Photos.remove(actor, hostId, listingId, onlyId)).rejects.toBeInstanceOf(
      ValidationError,
    );

    const second = await addTestPhoto(actor, hostId, listingId, 4);
    expect(await objectsUnder(`images/${listingId}/${second}/`)).toHaveLength(3);
    // The new photo sent the listing back to review; approved and published again.
    const { photosRev } = await Listing.get(admin, hostId, listingId);
    await Listing.approve(admin, listingId, { photosRev });
    await Listing.publish(actor, hostId, listingId);
    await Photos.remove(actor, hostId, listingId, onlyId);
    expect(await objectsUnder(`images/${listingId}/${onlyId}/`)).toEqual([]);
    const guestView = await Listing.getPublic(listingId);
    expect(guestView.photos.map((p) => p.imageId)).toEqual([second]);
    await expect(Photos.remove(actor, hostId, listingId, onlyId)).rejects.toBeInstanceOf(NotFound);
    const other = await newHost();
    await expect(Photos.remove(other.actor, hostId, listingId, second)).rejects.toBeInstanceOf(
      Forbidden,
    );
  });
});

describe("photos are reviewed", () => {
  /** An ONLINE listing with one photo, approved by an admin who saw it. */
  async function online(city: string) {
    const owner = await newHost();
    const { listingId } = await createComplete(owner.actor, owner.hostId, city);
    await Listing.submit(owner.actor, owner.hostId, listingId);
    const seen = await Listing.get(admin, owner.hostId, listingId);
    await Listing.approve(admin, listingId, { photosRev: seen.photosRev });
    await Listing.publish(owner.actor, owner.hostId, listingId);
    return { ...owner, listingId };
  }

  it("a photo added to a live listing reaches guests only after an admin approved it", async () => {
    const { actor, hostId, listingId } = await online("Review Town");
    const [first] = (await Listing.getPublic(listingId)).photos;

    // Requested: nothing visible yet, the listing stays online as it was.
    const { image } = await Photos.requestUpload(actor, hostId, listingId, {
      contentType: "image/jpeg",
      contentLength: 1000,
    });
    expect((await Listing.getPublic(listingId)).photos).toHaveLength(1);
    await Photos.remove(actor, hostId, listingId, image.imageId);

    // Processed (READY): the listing goes back to review in the same write, out of search.
    const added = await addTestPhoto(actor, hostId, listingId, 5);
    const inReview = await Listing.get(actor, hostId, listingId);
    expect(inReview.status).toBe("IN_REVIEW");
    expect(inReview.photos.map((p) => p.imageId)).toEqual([first?.imageId, added]);
    await expect(Listing.getPublic(listingId)).rejects.toBeInstanceOf(NotFound);
    expect((await Listing.search({ city: "review town" })).items).toEqual([]);

    // The admin approves the set they saw; published again, guests get both photos.
    await Listing.approve(admin, listingId, { photosRev: inReview.photosRev });
    await Listing.publish(actor, hostId, listingId);
    expect((await Listing.getPublic(listingId)).photos.map((p) => p.imageId)).toEqual([
      first?.imageId,
      added,
    ]);
  });

  it("the same holds for an APPROVED and an OFFLINE listing; a draft's photos change nothing", async () => {
    const approved = await newHost();
    const a = await createComplete(approved.actor, approved.hostId, "Approved Town");
    await Listing.submit(approved.actor, approved.hostId, a.listingId);
    await Listing.approve(admin, a.listingId);
    await addTestPhoto(approved.actor, approved.hostId, a.listingId, 6);
    expect((await Listing.get(admin, approved.hostId, a.listingId)).status).toBe("IN_REVIEW");

    const offline = await online("Offline Town");
    await Listing.unpublish(offline.actor, offline.hostId, offline.listingId);
    await addTestPhoto(offline.actor, offline.hostId, offline.listingId, 7);
    expect((await Listing.get(admin, offline.hostId, offline.listingId)).status).toBe("IN_REVIEW");

    const draft = await draftWithOwner();
    await addTestPhoto(draft.actor, draft.hostId, draft.listingId, 8);
    expect((await Listing.get(draft.actor, draft.hostId, draft.listingId)).status).toBe("DRAFT");
  });

  it("approval applies to the photo set the admin saw (photosRev)", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId, "Seen Town");
    await Listing.submit(actor, hostId, listingId);
    const seen = await Listing.get(admin, hostId, listingId);

    // A photo added while IN_REVIEW: the admin saw the set before it.
    await addTestPhoto(actor, hostId, listingId, 9);
    const error = await Listing.approve(admin, listingId, { photosRev: seen.photosRev }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PhotosChanged);
    expect(error).toMatchObject({
      code: "PHOTOS_CHANGED",
      details: { expectedPhotosRev: seen.photosRev, currentPhotosRev: seen.photosRev + 2 },
    });
    expect((await Listing.get(admin, hostId, listingId)).status).toBe("IN_REVIEW");

    const current = await Listing.get(admin, hostId, listingId);
    expect((await Listing.approve(admin, listingId, { photosRev: current.photosRev })).status).toBe(
      "APPROVED",
    );
  });

  it("the approval's write itself is conditional on the revision it was decided on", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId, "Race Town");
    await Listing.submit(actor, hostId, listingId);
    const { data: item } = await listingEntity().get({ listingId }).go({ consistent: true });
    if (!item) throw new Error("listing missing");
    const stale = (item.photosRev ?? 0) - 1;
    await expect(write(item, { status: "APPROVED", photosRev: stale })).rejects.toBeInstanceOf(
      StaleWrite,
    );
    const approved = await write(item, { status: "APPROVED", photosRev: item.photosRev ?? 0 });
    expect(approved.status).toBe("APPROVED");
  });

  it("captions follow the listing's text rules: trimmed, one line, no control characters", async () => {
    const owner = await draftWithOwner();
    for (const caption of ["Ter\u0007race", "two\nlines", "tab\there", "x".repeat(201)]) {
      await expect(
        Photos.requestUpload(owner.actor, owner.hostId, owner.listingId, {
          contentType: "image/jpeg",
          contentLength: 1000,
          caption,
        }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    const { image } = await Photos.requestUpload(owner.actor, owner.hostId, owner.listingId, {
      contentType: "image/jpeg",
      contentLength: 1000,
      caption: "  Terrace at dusk ",
    });
    expect(image.caption).toBe("Terrace at dusk");
  });
});
