import { describe, expect, it } from "vitest";
import {
  Forbidden,
  InvalidTransition,
  Listing,
  NotFound,
  ValidationError,
  VersionConflict,
} from "../src/index.js";
import { admin, createComplete, newHost } from "./listing-fixtures.js";

async function onlineListing(city = "Zürich") {
  const owner = await newHost();
  const draft = await createComplete(owner.actor, owner.hostId, city);
  await Listing.submit(owner.actor, owner.hostId, draft.listingId);
  await Listing.approve(admin, draft.listingId);
  const online = await Listing.publish(owner.actor, owner.hostId, draft.listingId);
  return { owner, listing: online };
}

describe("Listing lifecycle", () => {
  it("creates an empty draft: no name is an empty string, not a missing field", async () => {
    const { actor, hostId } = await newHost();
    const draft = await Listing.create(actor, hostId, {});
    expect(draft).toMatchObject({ status: "DRAFT", version: 1, listingName: "", amenities: [] });
    expect(draft.listingId).toMatch(/^listing_[0-9A-Z]{26}$/);
    expect(draft.missingForSubmit).toEqual(
      expect.arrayContaining(["listingName", "description", "address", "capacity", "pricing"]),
    );
    expect(await Listing.get(actor, hostId, draft.listingId)).toEqual(draft);
  });

  it("goes draft -> review -> approved -> online -> offline -> online -> archived", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId);
    expect((await Listing.submit(actor, hostId, listingId)).status).toBe("IN_REVIEW");
    expect((await Listing.approve(admin, listingId)).status).toBe("APPROVED");
    const online = await Listing.publish(actor, hostId, listingId);
    expect(online.status).toBe("ONLINE");
    expect(online.publishedAt).toBeDefined();
    expect((await Listing.unpublish(actor, hostId, listingId)).status).toBe("OFFLINE");
    expect((await Listing.publish(actor, hostId, listingId)).status).toBe("ONLINE");
    await Listing.archive(actor, hostId, listingId);
    await Listing.archive(actor, hostId, listingId);
    expect((await Listing.get(actor, hostId, listingId)).status).toBe("ARCHIVED");
  });

  it("refuses to submit an incomplete listing and names what is missing", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await Listing.create(actor, hostId, { listingName: "Only a name" });
    const error = await Listing.submit(actor, hostId, listingId).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details.fields)).toEqual(
      expect.arrayContaining(["description", "address", "capacity", "pricing"]),
    );
  });

  it("refuses to publish a listing that is still in review, naming both states", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId);
    await Listing.submit(actor, hostId, listingId);
    const error = await Listing.publish(actor, hostId, listingId).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidTransition);
    expect(error.code).toBe("INVALID_TRANSITION");
    expect(error.details).toMatchObject({ from: "IN_REVIEW", to: "ONLINE" });
  });

  it("rejects with a reason, and any edit turns a rejected listing back into a draft", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await createComplete(actor, hostId);
    await Listing.submit(actor, hostId, listingId);
    await expect(Listing.reject(admin, listingId, {})).rejects.toBeInstanceOf(ValidationError);
    const rejected = await Listing.reject(admin, listingId, { reason: "Photos are missing" });
    expect(rejected.status).toBe("REJECTED");
    expect(rejected.review).toMatchObject({ decision: "REJECTED", reason: "Photos are missing" });
    expect(rejected.review).not.toHaveProperty("reviewedBy");
    const edited = await Listing.update(
      actor,
      hostId,
      listingId,
      { pricing: { nightlyPrice: 1, currency: "CHF" } },
      rejected.version,
    );
    expect(edited.status).toBe("DRAFT");
    const resubmitted = await Listing.submit(actor, hostId, listingId);
    expect(resubmitted.review).toBeUndefined();
  });

  it("sends an ONLINE listing back to review on a content edit, but not on a price change", async () => {
    const { owner, listing } = await onlineListing();
    const priced = await Listing.update(
      owner.actor,
      owner.hostId,
      listing.listingId,
      { pricing: { nightlyPrice: 20_000, currency: "chf" } },
      listing.version,
    );
    expect(priced.status).toBe("ONLINE");
    expect(priced.pricing?.currency).toBe("CHF");
    const renamed = await Listing.update(
      owner.actor,
      owner.hostId,
      listing.listingId,
      { listingName: "New name" },
      priced.version,
    );
    expect(renamed.status).toBe("IN_REVIEW");
    await expect(Listing.getPublic(listing.listingId)).rejects.toBeInstanceOf(NotFound);
  });

  it("refuses any edit that would leave a submitted listing incomplete", async () => {
    const { owner, listing } = await onlineListing();
    await expect(
      Listing.update(
        owner.actor,
        owner.hostId,
        listing.listingId,
        { pricing: null },
        listing.version,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      Listing.update(
        owner.actor,
        owner.hostId,
        listing.listingId,
        { description: null },
        listing.version,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("answers a stale version with VERSION_CONFLICT naming the current one", async () => {
    const { actor, hostId } = await newHost();
    const draft = await Listing.create(actor, hostId, {});
    const v2 = await Listing.update(actor, hostId, draft.listingId, { listingName: "A" }, 1);
    expect(v2.version).toBe(2);
    const error = await Listing.update(
      actor,
      hostId,
      draft.listingId,
      { listingName: "B" },
      1,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(VersionConflict);
    expect(error.details).toEqual({ expectedVersion: 1, currentVersion: 2 });
    await expect(
      Listing.update(actor, hostId, draft.listingId, { listingName: "B" }, undefined),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it("lets exactly one of many concurrent edits with the same version win", async () => {
    const { actor, hostId } = await newHost();
    const draft = await Listing.create(actor, hostId, {});
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        Listing.update(actor, hostId, draft.listingId, { listingName: `name ${i}` }, 1),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected") expect(r.reason).toBeInstanceOf(VersionConflict);
    const stored = await Listing.get(actor, hostId, draft.listingId);
    expect(stored.version).toBe(2);
    expect(stored.listingName).toBe(
      (won[0] as PromiseFulfilledResult<{ listingName: string }>).value.listingName,
    );
  });
});

describe("Listing access", () => {
  it("keeps a host out of another host's listings without revealing them", async () => {
    const owner = await newHost();
    const other = await newHost();
    const { listingId } = await Listing.create(owner.actor, owner.hostId, {});
    await expect(Listing.get(other.actor, owner.hostId, listingId)).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(Listing.get(other.actor, other.hostId, listingId)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(Listing.list(other.actor, owner.hostId, {})).rejects.toBeInstanceOf(Forbidden);
    await expect(Listing.approve(owner.actor, listingId)).rejects.toBeInstanceOf(Forbidden);
    expect((await Listing.get(admin, owner.hostId, listingId)).listingId).toBe(listingId);
  });

  it("hides everything but ONLINE listings from guests, and never shows host or street", async () => {
    const { owner, listing } = await onlineListing();
    const view = await Listing.getPublic(listing.listingId);
    expect(JSON.stringify(view)).not.toContain(owner.hostId);
    expect(JSON.stringify(view)).not.toContain("Seestrasse");
    expect(view.location).toEqual({ city: "Zürich", country: "CH", lat: 47.36, lng: 8.54 });
    const draft = await createComplete(owner.actor, owner.hostId);
    await expect(Listing.getPublic(draft.listingId)).rejects.toBeInstanceOf(NotFound);
    await expect(Listing.getPublic("listing_nope")).rejects.toBeInstanceOf(NotFound);
  });
});

describe("Listing search", () => {
  it("finds ONLINE listings by city, whatever the case and accents", async () => {
    const { listing } = await onlineListing("Zürich");
    const { owner } = await onlineListing("Genève");
    await createComplete(owner.actor, owner.hostId, "Zürich");
    for (const city of ["zurich", "ZÜRICH", " Zurich "]) {
      const page = await Listing.search({ city });
      expect(page.items.map((l) => l.listingId)).toContain(listing.listingId);
      expect(page.items.every((l) => l.location.city === "Zürich")).toBe(true);
    }
  });

  it("drops a listing from search when it goes offline", async () => {
    const { owner, listing } = await onlineListing("Sankt Moritz");
    expect((await Listing.search({ city: "sankt moritz" })).items).toHaveLength(1);
    await Listing.unpublish(owner.actor, owner.hostId, listing.listingId);
    expect((await Listing.search({ city: "sankt moritz" })).items).toHaveLength(0);
  });
});
