import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Listing } from "@localstays/core";
import { EXTRA_HOST_STATUSES, hasAnyListing } from "@localstays/core/seed";
import { afterAll, describe, expect, it } from "vitest";
import { signIn } from "../src/sign-in.js";
import type { LocalStack, StartOptions } from "../src/stack.js";
import { startTestStack } from "../src/testing.js";

/**
 * `pnpm start` seeds an empty table (start.ts passes `seed: true`); restarts keep the data
 * and do not seed again. Tests start stacks without seeding unless they ask.
 */
const dataDir = mkdtempSync(join(tmpdir(), "localstays-seed-"));
const admin = { sub: "test-admin", groups: ["admins"] };
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(seed?: StartOptions["seed"]) {
  await stack?.stop();
  stack = await startTestStack({ dataDir, ...(seed === undefined ? {} : { seed }) });
  return stack;
}

async function listingCount() {
  let total = 0;
  for (const status of Listing.STATUSES) {
    total += (await Listing.reviewQueue(admin, { status, limit: 100 })).items.length;
  }
  return total;
}

describe("seeding on start", () => {
  it("does not seed unless asked", async () => {
    const plain = await start();
    expect(plain.seeded).toBeUndefined();
    expect(await hasAnyListing()).toBe(false);
  });

  it("seeds an empty table once, the demo host included, and not again on a restart", async () => {
    const first = await start({ hosts: 2, listingsPerHost: 3, seed: 4 });
    expect(first.seeded).toMatchObject({ hosts: 3, skippedHosts: 0 });
    expect(first.seeded?.listings).toHaveLength(2 * 3 + EXTRA_HOST_STATUSES.length);
    expect(await listingCount()).toBe(2 * 3 + EXTRA_HOST_STATUSES.length);

    const demo = first.outputs.DemoUsers[0];
    if (!demo) throw new Error("no demo user");
    const { AccessToken } = await signIn(first.outputs, demo.email, demo.password);
    const headers = { authorization: `Bearer ${AccessToken}` };
    const me = (await (await fetch(`${first.outputs.ApiUrl}/api/v1/me`, { headers })).json()) as {
      hostId: string;
    };
    const response = await fetch(`${first.outputs.ApiUrl}/api/v1/hosts/${me.hostId}/listings`, {
      headers,
    });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: unknown[] };
    expect(items).toHaveLength(EXTRA_HOST_STATUSES.length - 1); // not the ARCHIVED one

    const second = await start(true);
    expect(second.seeded).toBeUndefined();
    expect(await listingCount()).toBe(2 * 3 + EXTRA_HOST_STATUSES.length);
  });
});
