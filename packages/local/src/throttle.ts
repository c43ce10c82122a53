import type { ApiThrottle, ThrottleLimit } from "../../../stacks/throttle.js";
import type { HttpResponse } from "./apigw-event.js";

/**
 * API Gateway's throttle, locally: one token bucket per route with the stage's numbers
 * (stacks/throttle.ts, the same object the Api stack writes into the API's stage). A bucket
 * holds `burst` tokens and refills at `rate` per second; a request takes one or is refused
 * before the authorizer and the handler run, as API Gateway refuses it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly limit: ThrottleLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burst;
    this.last = now();
  }

  /** Takes a token when there is one. */
  take(): boolean {
    const at = this.now();
    this.tokens = Math.min(
      this.limit.burst,
      this.tokens + ((at - this.last) / 1000) * this.limit.rate,
    );
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface RouteThrottle {
  /** Whether a request to the route (by its key, `GET /api/v1/listings`) may go on. */
  admit(routeKey: string): boolean;
}

export function routeThrottle(throttle: ApiThrottle, now?: () => number): RouteThrottle {
  const buckets = new Map<string, TokenBucket>();
  return {
    admit(routeKey) {
      let bucket = buckets.get(routeKey);
      if (!bucket) {
        bucket = new TokenBucket(throttle.routes[routeKey] ?? throttle.default, now);
        buckets.set(routeKey, bucket);
      }
      return bucket.take();
    },
  };
}

/** What API Gateway answers a throttled request: its own shape, not the API's, and no Retry-After. */
export function tooManyRequests(): HttpResponse {
  return {
    statusCode: 429,
    headers: { "content-type": "application/json" },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message: "Too Many Requests" })),
  };
}
