import { describe, expect, it } from "vitest";
import { Listing, Photos, Quota, QuotaExceeded } from "../src/index.js";
import { hostQuotaEntity } from "../src/quota/entity.js";
import { admin, completeListing, newHost } from "./listing-fixtures.js";

const upload = { contentType: "image/jpeg", contentLength: 1000 } as const;

async function refusal(promise: Promise<unknown>): Promise<QuotaExceeded> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QuotaExceeded);
  return error as QuotaExceeded;
}

describe("per-host quotas", () => {
  it("refuses the pending upload past the limit, naming the quota, the limit and when it frees", async () => {
    const owner = await newHost();
    await Quota.setLimits(admin, owner.hostId, { pendingUploads: 3, reason: "test" });
    const listing = await Listing.create(owner.actor, owner.hostId, completeListing());
    for (let i = 0; i < 3; i++) {
      await Photos.requestUpload(owner.actor, owner.hostId, listing.listingId, upload);
    }
    const error = await refusal(
      Photos.requestUpload(owner.actor, owner.hostId, listing.listingId, upload),
    );
    expect(error.code).toBe("QUOTA_EXCEEDED");
    expect(error.details).toMatchObject({ quota: "pendingUploads", limit: 3, used: 3 });
    expect(Date.parse(String(error.details?.freesAt))).toBeGreaterThan(Date.now());
    expect(error.details?.retryAfterSeconds).toBeGreaterThan(0);
    // Deleting a pending photo frees its slot.
    const [first] = await Photos.list(owner.actor, owner.hostId, listing.listingId);
    await Photos.remove(owner.actor, owner.hostId, listing.listingId, first?.imageId ?? "");
    await Photos.requestUpload(owner.actor, owner.hostId, listing.listingId, upload);
  });

  it("holds the limit under concurrent requests: exactly the limit get through", async () => {
    const owner = await newHost();
    await Quota.setLimits(admin, owner.hostId, { pendingUploads: 4, reason: "test" });
    const listing = await Listing.create(owner.actor, owner.hostId, completeListing());
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        Photos.requestUpload(owner.actor, owner.hostId, listing.listingId, upload),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toBeInstanceOf(QuotaExceeded);
    }
    expect((await Quota.usage(owner.hostId)).quotas.pendingUploads.used).toBe(4);
  });

  it("counts upload requests per clock hour, and frees them when the hour ends", async () => {
    const owner = await newHost();
    await Quota.setLimits(admin, owner.hostId, { uploadRequestsPerHour: 2, reason: "test" });
    const listing = await Listing.create(owner.actor, owner.hostId, completeListing());
    const ask = () => Photos.requestUpload(owner.actor, owner.hostId, listing.listingId, upload);
    await ask();
    await ask();
    const error = await refusal(ask());
    expect(error.details).toMatchObject({ quota: "uploadRequestsPerHour", limit: 2, used: 2 });
    const freesAt = new Date(String(error.details?.freesAt));
    expect(freesAt.getUTCMinutes()).toBe(0);
    expect(freesAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it("counts listings ever created, archived ones too; only an admin frees it", async () => {
    const owner = await newHost();
    await Quota.setLimits(admin, owner.hostId, { listings: 2, reason: "test" });
    const first = await Listing.create(owner.actor, owner.hostId, completeListing());
    await Listing.archive(owner.actor, owner.hostId, first.listingId);
    await Listing.create(owner.actor, owner.hostId, completeListing());
    const error = await refusal(Listing.create(owner.actor, owner.hostId, completeListing()));
    expect(error.details).toMatchObject({ quota: "listings", limit: 2, used: 2, freesAt: null });
    expect(error.details).not.toHaveProperty("retryAfterSeconds");
    await Quota.setLimits(admin, owner.hostId, { listings: 3, reason: "a second flat" });
    await Listing.create(owner.actor, owner.hostId, completeListing());
  });

  it("counts a host's listings from before quotas once, at its next create", async () => {
    const owner = await newHost();
    for (let i = 0; i < 3; i++) {
      await Listing.create(owner.actor, owner.hostId, completeListing());
    }
    const [archived] = (await Listing.list(owner.actor, owner.hostId, { limit: 10 })).items;
    await Listing.archive(owner.actor, owner.hostId, archived?.listingId ?? "");
    // As a host from before quotas: listings, and no count of them.
    await hostQuotaEntity().update({ hostId: owner.hostId }).remove(["listings"]).go();
    expect((await Quota.usage(owner.hostId)).quotas.listings.used).toBe(0);
    await Quota.setLimits(admin, owner.hostId, { listings: 4, reason: "test" });

    await Listing.create(owner.actor, owner.hostId, completeListing());
    expect((await Quota.usage(owner.hostId)).quotas.listings.used).toBe(4);
    const error = await refusal(Listing.create(owner.actor, owner.hostId, completeListing()));
    expect(error.details).toMatchObject({ quota: "listings", limit: 4, used: 4 });
  });

  it("lets only admins change limits, and records who, when, why, before and after", async () => {
    const owner = await newHost();
    await expect(
      Quota.setLimits(owner.actor, owner.hostId, { listings: 500, reason: "me" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const raised = await Quota.setLimits(admin, owner.hostId, {
      listings: 500,
      reason: "Property manager, ticket 42",
    });
    expect(raised.quotas.listings).toMatchObject({ limit: 500, default: 200 });
    const reset = await Quota.setLimits(admin, owner.hostId, { listings: null, reason: "done" });
    expect(reset.quotas.listings.limit).toBe(200);
    const audit = await Quota.changes(owner.hostId);
    expect(audit.map((c) => [c.changedBy, c.reason, c.before, c.after])).toEqual([
      [admin.sub, "Property manager, ticket 42", {}, { listings: 500 }],
      [admin.sub, "done", { listings: 500 }, {}],
    ]);
    await expect(
      Quota.setLimits(admin, owner.hostId, { listings: 0, reason: "x" }),
    ).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    await expect(Quota.setLimits(admin, owner.hostId, { reason: "nothing" })).rejects.toMatchObject(
      {
        code: "VALIDATION_ERROR",
      },
    );
    await expect(
      Quota.setLimits(admin, "host_01JNOSUCHHOST0000000000000", { listings: 5, reason: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
