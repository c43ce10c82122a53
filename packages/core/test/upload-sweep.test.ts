import { PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { Listing, Photos, Quota } from "../src/index.js";
import { UPLOAD_EXPIRY_SECONDS, UPLOAD_SWEEP_MARGIN_SECONDS } from "../src/photo/schema.js";
import { sweepExpiredUploads } from "../src/photo/sweep.js";
import { bucketName, s3Client } from "../src/s3.js";
import { uploadKey } from "../src/storage.js";
import { completeListing, newHost } from "./listing-fixtures.js";

const upload = { contentType: "image/jpeg", contentLength: 1000 } as const;
/** Just past the sweeper's deadline for an upload requested now. */
const overdue = () =>
  new Date(Date.now() + (UPLOAD_EXPIRY_SECONDS + UPLOAD_SWEEP_MARGIN_SECONDS + 1) * 1000);

/** A host's listing with one photo whose upload was requested and has not arrived. */
async function pendingUpload() {
  const owner = await newHost();
  const listing = await Listing.create(owner.actor, owner.hostId, completeListing());
  const { image } = await Photos.requestUpload(
    owner.actor,
    owner.hostId,
    listing.listingId,
    upload,
  );
  return { owner, listing, image };
}

describe("the expired-upload sweeper", () => {
  it("turns a pending upload that never came into FAILED (EXPIRED) and frees its slot", async () => {
    const { owner, listing, image } = await pendingUpload();
    expect((await Quota.usage(owner.hostId)).quotas.pendingUploads.used).toBe(1);

    // Not yet: the policy expired, but the margin has not passed.
    const early = await sweepExpiredUploads(new Date(Date.parse(image.uploadExpiresAt) + 1000));
    expect(early.expired).not.toContain(image.imageId);

    const swept = await sweepExpiredUploads(overdue());
    expect(swept.expired).toContain(image.imageId);
    const [after] = await Photos.list(owner.actor, owner.hostId, listing.listingId);
    expect(after).toMatchObject({ status: "FAILED", failureReason: "EXPIRED" });
    expect((await Quota.usage(owner.hostId)).quotas.pendingUploads.used).toBe(0);

    // Idempotent: a second sweep finds nothing of it.
    const again = await sweepExpiredUploads(overdue());
    expect([...again.expired, ...again.waiting]).not.toContain(image.imageId);
    expect((await Quota.usage(owner.hostId)).quotas.pendingUploads.used).toBe(0);
  });

  it("leaves an overdue photo whose upload arrived to the processor", async () => {
    const { owner, listing, image } = await pendingUpload();
    await s3Client().send(
      new PutObjectCommand({
        Bucket: bucketName(),
        Key: uploadKey({
          hostId: owner.hostId,
          listingId: listing.listingId,
          imageId: image.imageId,
        }),
        Body: Buffer.alloc(1000),
      }),
    );
    const swept = await sweepExpiredUploads(overdue());
    expect(swept.waiting).toContain(image.imageId);
    expect(swept.expired).not.toContain(image.imageId);
    const [after] = await Photos.list(owner.actor, owner.hostId, listing.listingId);
    expect(after?.status).toBe("PENDING_UPLOAD");
  });
});
