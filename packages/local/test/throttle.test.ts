import { describe, expect, it } from "vitest";
import { routeThrottle, TokenBucket } from "../src/throttle.js";

describe("the local gateway's token buckets (API Gateway's throttle)", () => {
  it("lets a burst through at once, then the rate per second", () => {
    let now = 0;
    const bucket = new TokenBucket({ rate: 10, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 100; // one token back (10 per second)
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000; // never more than the burst
    expect(Array.from({ length: 4 }, () => bucket.take())).toEqual([true, true, true, false]);
  });

  it("keeps one bucket per route: a route's own limit, else the stage's default", () => {
    const throttle = routeThrottle(
      { default: { rate: 1, burst: 2 }, routes: { "GET /search": { rate: 1, burst: 1 } } },
      () => 0,
    );
    expect([throttle.admit("GET /search"), throttle.admit("GET /search")]).toEqual([true, false]);
    // Another route is not affected by the flood of the first.
    expect([throttle.admit("PATCH /x"), throttle.admit("PATCH /x")]).toEqual([true, true]);
    expect(throttle.admit("PATCH /x")).toBe(false);
    expect(throttle.admit("GET /y")).toBe(true);
  });
});
