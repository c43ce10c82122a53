/**
 * The HTTP API's throttles per environment: the stage's default for every route, and tighter
 * limits on the routes anyone can flood. `stacks/stage.ts` puts them into `StageSettings`,
 * `stacks/Api.ts` writes them into the API Gateway stage (default route settings and route
 * settings), and the local gateway applies the very same numbers (a local stack is a personal
 * stage: dev). No aws-cdk-lib here, so the local gateway can load it in a few milliseconds.
 *
 * API Gateway throttles with a token bucket per route: `burst` requests at once, refilled at
 * `rate` per second. Past it the route answers 429 `{"message":"Too Many Requests"}` without
 * calling the function (and without `Retry-After`). HTTP APIs have no per-client throttle
 * (usage plans are REST-only) and WAF cannot attach to them: these limits are per route, for
 * all callers together. What they protect is the account's Lambda concurrency (1000 by
 * default, shared by every function of the stage's account and region): a flood of anonymous
 * searches can use at most `rate × duration` of it, so host routes keep theirs.
 */
import type { Route } from "../packages/functions/src/routes.js";

export interface ThrottleLimit {
  /** Requests per second, sustained. */
  rate: number;
  /** Requests at once (the bucket's size). */
  burst: number;
}

export interface ApiThrottle {
  /** Every route without a limit of its own. */
  default: ThrottleLimit;
  /** Route key (`GET /api/v1/listings`) -> its own, tighter limit. */
  routes: Readonly<Record<string, ThrottleLimit>>;
}

/** The routes that get limits of their own: anonymous reads, and upload requests. */
export const THROTTLED_ROUTES = {
  search: "GET /api/v1/listings",
  publicListing: "GET /api/v1/listings/{listingId}",
  uploadRequest: "POST /api/v1/hosts/{hostId}/listings/{listingId}/images",
} as const satisfies Record<string, `${Route["method"]} ${string}`>;

type Limits = Record<keyof typeof THROTTLED_ROUTES | "default", ThrottleLimit>;

function throttle(limits: Limits): ApiThrottle {
  const { default: fallback, ...routes } = limits;
  return {
    default: fallback,
    routes: Object.fromEntries(
      Object.entries(routes).map(([name, limit]) => [
        THROTTLED_ROUTES[name as keyof typeof THROTTLED_ROUTES],
        limit,
      ]),
    ),
  };
}

/**
 * Prod's numbers; staging runs with them too, so a staging deploy shows what prod will do.
 * A route function takes about 50 to 200 ms (docs/performance.md): each public route at 100
 * requests/s holds at most ~20 of the account's 1000 concurrent executions, every other route
 * at 300/s ~60. Upload requests are also capped per host (core quotas); 20/s for all hosts
 * together is over a thousand photos a minute.
 */
const PROD = throttle({
  default: { rate: 300, burst: 600 },
  search: { rate: 100, burst: 200 },
  publicListing: { rate: 100, burst: 200 },
  uploadRequest: { rate: 20, burst: 40 },
});

/** By environment; stacks/stage.ts gives each stage its environment's. */
export const API_THROTTLES = {
  /**
   * Dev stages, personal stages and the local stack: a few developers and CI. Roomy enough
   * that the test suites' bursts (the authorization matrix, the fuzzers) pass under them,
   * small enough that a runaway loop in the shared dev account cannot take its concurrency.
   */
  dev: throttle({
    default: { rate: 100, burst: 200 },
    search: { rate: 50, burst: 100 },
    publicListing: { rate: 50, burst: 100 },
    uploadRequest: { rate: 20, burst: 40 },
  }),
  staging: PROD,
  prod: PROD,
} as const satisfies Record<"dev" | "staging" | "prod", ApiThrottle>;

/**
 * The local stack's: it runs as stage `local`, a personal stage, which gets the dev numbers
 * (stacks/test/stage.test.ts checks that `stageSettings("local")` says the same).
 */
export const LOCAL_THROTTLE: ApiThrottle = API_THROTTLES.dev;
