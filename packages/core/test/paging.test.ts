import { describe, expect, it } from "vitest";
import { Listing, ValidationError } from "../src/index.js";
import { listingEntity } from "../src/listing/entity.js";
import { decodeCursor, encodeCursor, MAX_EVALUATED, queryPage } from "../src/paging.js";
import { admin, completeListing, createComplete, newHost } from "./listing-fixtures.js";

const query = (cityKey: string) => listingEntity().query.byCity({ cityKey }).params();

describe("cursors", () => {
  const key = {
    pk: "$localstays#listingid_x",
    sk: "$listing_1",
    gsi4pk: "$localstays#citykey_zurich",
    gsi4sk: "$listing_1#listingid_x",
  };

  it("round-trips a position in the index", () => {
    expect(decodeCursor(encodeCursor(key), query("zurich"))).toEqual(key);
  });

  it.each([
    ["garbage", "!!!"],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["an array", encodeCursor([] as unknown as Record<string, string>)],
    ["missing keys", encodeCursor({ pk: "a", sk: "b" })],
    ["extra keys", encodeCursor({ ...key, extra: "x" })],
    ["numbers", encodeCursor({ ...key, gsi4sk: 1 } as unknown as Record<string, string>)],
    ["another city's cursor", encodeCursor({ ...key, gsi4pk: "$localstays#citykey_bern" })],
    ["a sort key outside the query", encodeCursor({ ...key, gsi4sk: "$host_1#hostid_x" })],
  ])("refuses %s as a validation error, before DynamoDB sees it", (_, cursor) => {
    expect(() => decodeCursor(cursor, query("zurich"))).toThrow(ValidationError);
  });
});

describe("full pages under a filter", () => {
  // 150 writes to DynamoDB Local before the first page: more than half a minute on a loaded
  // two-core machine.
  it("fills every page, without duplicates or gaps, however selective the filter", {
    timeout: 120_000,
  }, async () => {
    const { actor, hostId } = await newHost();
    const wanted = new Set<string>();
    // Every third listing is big enough; the others are filtered out inside DynamoDB.
    for (let i = 0; i < 30; i++) {
      const big = i % 3 === 0;
      const input = completeListing("Paging Town");
      input.capacity.guests = big ? 8 : 2;
      const { listingId } = await createComplete(actor, hostId, input);
      await Listing.submit(actor, hostId, listingId);
      await Listing.approve(admin, listingId);
      await Listing.publish(actor, hostId, listingId);
      if (big) wanted.add(listingId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await Listing.search({ city: "paging town", guests: 6, limit: 3, cursor });
      expect(page.truncated).toBeUndefined();
      sizes.push(page.items.length);
      seen.push(...page.items.map((l) => l.listingId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(wanted);
    // Newest listing first (ids are ULIDs, so they sort by creation).
    expect(seen).toEqual([...seen].sort().reverse());
    // Full pages; at most the last one is short (or empty when the end falls on a page edge).
    expect(sizes.slice(0, -1).every((n) => n === 3)).toBe(true);
    expect(MAX_EVALUATED).toBeGreaterThan(30);
  });
});

describe("pages without a filter", () => {
  it("end on the last full page rather than on an empty one", async () => {
    const { actor, hostId } = await newHost();
    for (let i = 0; i < 6; i++) {
      const { listingId } = await createComplete(actor, hostId, "Edge City");
      await Listing.submit(actor, hostId, listingId);
      await Listing.approve(admin, listingId);
      await Listing.publish(actor, hostId, listingId);
    }
    const first = await Listing.search({ city: "edge city", limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await Listing.search({
      city: "edge city",
      limit: 3,
      cursor: first.nextCursor ?? "",
    });
    expect(second.items).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
  });
});

describe("the read budget", () => {
  it("returns a short page marked truncated, whose cursor continues where reading stopped", async () => {
    const { actor, hostId } = await newHost();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await Listing.create(actor, hostId, {})).listingId);
    // Newest first: only the oldest listing matches, six reads behind the start.
    const input = listingEntity()
      .query.byOwner({ hostId })
      .where(({ listingId }, { eq }) => eq(listingId, ids[0] as string))
      .params({ order: "desc" });
    const first = await queryPage(input, { limit: 2, maxEvaluated: 4 });
    expect(first).toMatchObject({ items: [], truncated: true });
    const second = await queryPage(input, {
      limit: 2,
      maxEvaluated: 4,
      cursor: first.nextCursor ?? "",
    });
    expect(second.items.map((i) => i.listingId)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});
