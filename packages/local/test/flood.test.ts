import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_THROTTLE, THROTTLED_ROUTES } from "../../../stacks/throttle.js";
import { Api, type Info, paths, type User } from "./listings/client.js";

/**
 * The flood test: anonymous searches at ten times the search route's rate, on the loopback
 * interface only, bounded in count (one second's worth) and time. The gateway refuses what is
 * over the route's token bucket with API Gateway's own 429, and a host's PATCH, on its own
 * route and bucket, still goes through.
 */
const search = LOCAL_THROTTLE.routes[THROTTLED_ROUTES.search];
if (!search) throw new Error("the search route has no throttle of its own");

let api: Api;
let host: User;
let listing: Info;

beforeAll(async () => {
  api = await Api.start();
  host = await api.host("flood-victim");
  listing = await api.create(host);
});
afterAll(() => api?.stop());

describe("a flood of anonymous searches", () => {
  it(`at 10× ${search.rate}/s gets 429 {"message":"Too Many Requests"} while a host's PATCH succeeds`, async () => {
    const count = search.rate * 10; // one second at ten times the rate
    const url = new URL(`${api.url}/api/v1/listings?city=Nowhere`);
    expect(["127.0.0.1", "localhost"]).toContain(url.hostname);
    const started = performance.now();
    const flood = Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / count));
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      return {
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        text: await response.text(),
      };
    });
    // In the middle of the flood: the host edits its listing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const patch = await api.call("PATCH", paths.listing(host.hostId, listing.listingId), {
      token: host.token,
      json: { version: listing.version, listingName: "Still editable" },
    });
    const replies = await Promise.all(flood);
    const elapsedSeconds = (performance.now() - started) / 1000;

    expect(patch.status, patch.text).toBe(200);
    const throttled = replies.filter((r) => r.status === 429);
    const served = replies.filter((r) => r.status === 200);
    expect(served.length + throttled.length).toBe(count);
    // The token bucket lets through at most a burst plus the refill over the flood's time.
    expect(served.length).toBeLessThanOrEqual(
      search.burst + Math.ceil(search.rate * elapsedSeconds),
    );
    expect(throttled.length).toBeGreaterThanOrEqual(
      count - search.burst - Math.ceil(search.rate * elapsedSeconds),
    );
    for (const reply of throttled) {
      expect(JSON.parse(reply.text)).toEqual({ message: "Too Many Requests" });
      expect(reply.retryAfter).toBeNull();
    }
  }, 60_000);
});
