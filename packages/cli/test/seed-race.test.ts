import { type Actor, Listing, Photos } from "@localstays/core";
import type { LocalStack } from "@localstays/local/stack";
import { startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./run-cli.js";

/**
 * `localstays seed --stage local` while the local stack runs, as a developer does after
 * `pnpm start`: the stack's upload events are live and process every photo the seed uploads.
 * It used to process them itself as well, and whichever came second found the upload gone
 * (`NoSuchKey`, exit 1, in about one run of ten on two cores). Several seeds in a row, each
 * with a few dozen photos, must all succeed, with every photo READY.
 */
let stack: LocalStack;
const admin: Actor = { sub: "test-admin", groups: ["admins"] };
const SEEDS = [21, 22, 23, 24, 25];
const HOSTS = 3;
const PER_HOST = 5;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function allListings(): Promise<Listing.Info[]> {
  const pages = await Promise.all(
    Listing.STATUSES.map((status) => Listing.reviewQueue(admin, { status, limit: 100 })),
  );
  return pages.flatMap((page) => page.items);
}

describe("localstays seed against a running local stack", () => {
  // Five CLI processes in a row, each starting tsx: minutes on a loaded two-core machine.
  it("succeeds run after run, and leaves every photo READY", { timeout: 900_000 }, async () => {
    for (const seed of SEEDS) {
      const run = await cli(
        "seed",
        "--stage",
        "local",
        "--outputs",
        stack.outputsFile,
        "--hosts",
        String(HOSTS),
        "--listings-per-host",
        String(PER_HOST),
        "--seed",
        String(seed),
        "--json",
      );
      expect(run.code, `seed ${seed}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ seed, listings: expect.any(Number) });
    }
    await stack.uploads.idle();
    expect(stack.uploads.deadLetters).toEqual([]);

    const listings = await allListings();
    // Every generated listing, and the demo host's (the first run gives it one in every status).
    expect(listings.length).toBeGreaterThanOrEqual(SEEDS.length * HOSTS * PER_HOST);
    let photos = 0;
    for (const listing of listings) {
      const images = await Photos.list(admin, listing.hostId, listing.listingId);
      photos += images.length;
      expect(
        images.map((i) => [i.imageId, i.status]),
        listing.listingId,
      ).toEqual(images.map((i) => [i.imageId, "READY"]));
      // The listing's summary (what guests see) names every one of them.
      expect(listing.photos.map((p) => p.imageId).sort()).toEqual(
        images.map((i) => i.imageId).sort(),
      );
      if (listing.status !== "DRAFT") expect(images.length, listing.listingId).toBeGreaterThan(0);
    }
    expect(photos).toBeGreaterThan(listings.length);
  });
});
