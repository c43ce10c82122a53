import { describe, expect, it } from "vitest";
import { type DemoListing, generateDemoData } from "../src/seed/generate.js";
import { addressKey, matchPlan, statusesAlong, stepsTaken } from "../src/seed/resume.js";

const plan = generateDemoData({ hosts: 40, listingsPerHost: 5, seed: 3 });
const listings = plan.hosts.flatMap((h) => h.listings);
const withSteps = (test: (l: DemoListing) => boolean) => {
  const found = listings.find(test);
  if (!found) throw new Error("the plan has no such listing; pick another seed");
  return found;
};

describe("how far an earlier run got with a listing", () => {
  it("follows the status machine along the planned steps, a rejection and its fix included", () => {
    const fixed = withSteps(
      (l) => l.steps.some((s) => s.action === "reject") && l.status === "ONLINE",
    );
    const statuses = statusesAlong(fixed.steps);
    expect(statuses.slice(0, 5)).toEqual(["DRAFT", "IN_REVIEW", "REJECTED", "DRAFT", "IN_REVIEW"]);
    expect(statuses.at(-1)).toBe("ONLINE");
    for (const listing of listings)
      expect(statusesAlong(listing.steps).at(-1)).toBe(listing.status);
  });

  it("counts the steps taken from the version, while the status agrees with the plan", () => {
    const offline = withSteps((l) => l.status === "OFFLINE");
    // created (version 1), submitted (2), approved (3): two steps taken.
    expect(stepsTaken(offline, { status: "APPROVED", version: 3 })).toBe(2);
    expect(stepsTaken(offline, { status: "DRAFT", version: 1 })).toBe(0);
    expect(stepsTaken(offline, { status: "OFFLINE", version: 5 })).toBe(4);
    // Edited in the dashboard since (another version or a status off the plan's path).
    expect(stepsTaken(offline, { status: "APPROVED", version: 4 })).toBeUndefined();
    expect(stepsTaken(offline, { status: "OFFLINE", version: 7 })).toBeUndefined();
  });

  it("recognises the planned listings by address and leaves every other listing out", () => {
    const [first, second, third] = plan.hosts[0]?.listings ?? [];
    if (!first || !second || !third) throw new Error("plan too short");
    const address = first.input.address;
    if (!address) throw new Error("planned listings have addresses");
    const own = {
      status: "ONLINE" as const,
      version: 9,
      address: { ...address, street: "Elsewhere 1" },
    };
    const earlier = { status: "DRAFT" as const, version: 1, address: second.input.address };
    const { matches, matchedAny } = matchPlan([first, second, third], [own, earlier]);
    expect(matchedAny).toBe(true);
    expect(matches.map((m) => m.existing)).toEqual([undefined, earlier, undefined]);
    expect(matchPlan([first], [own])).toMatchObject({ matchedAny: false });
    expect(addressKey(undefined)).toBeUndefined();
    // Every planned listing of a host has an address of its own.
    for (const host of plan.hosts) {
      const keys = host.listings.map((l) => addressKey(l.input.address));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
