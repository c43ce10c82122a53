import { ERROR_CODES, type ErrorCode } from "@localstays/core/errors";
import { FAILURE_REASONS, type FailureReason } from "@localstays/core/photo/formats";
import { routeKey, routes } from "./routes.js";

/**
 * The app's custom metrics, in one place: namespace, names, units and dimensions. The
 * functions emit them as EMF log lines (observability.ts, through Powertools Metrics: no API
 * call), the Monitoring stack's dashboard graphs exactly these, and `localstays migrate`
 * puts its one. Plain data, so the stacks import it without loading Powertools.
 *
 * Cardinality stays bounded: every dimension value is typed as a closed union — the stage
 * (one per deployment), a route key of the route table, an error code of core's
 * ERROR_CODES, a failure reason of core's FAILURE_REASONS — and values that come from
 * outside at run time (API Gateway's routeKey, an error's code) pass `bounded()`, which maps
 * anything unknown to OTHER. Ids (hostId, listingId, imageId, request ids) never become a
 * dimension; they go into the EMF line as metadata, searchable in Logs Insights.
 */
export const METRIC_NAMESPACE = "Localstays";

/** Powertools always adds `service`; the others are ours. */
export const DIMENSION = {
  service: "service",
  stage: "Stage",
  route: "Route",
  errorCode: "ErrorCode",
  reason: "Reason",
} as const;

/** The `service` of each kind of function (log lines and metrics alike). */
export const SERVICE = {
  api: "localstays-api",
  images: "localstays-images",
  auth: "localstays-auth",
  mail: "localstays-mail",
  cli: "localstays-cli",
} as const;
export type Service = (typeof SERVICE)[keyof typeof SERVICE];

type RouteKeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;
/** `POST /api/v1/hosts/{hostId}/listings`: a route of the table, with its placeholders. */
export type RouteKey = RouteKeyOf<(typeof routes)[number]>;
export const ROUTE_KEYS = routes.map((route) => routeKey(route)) as RouteKey[];

/** What an unknown value becomes: one more value, never an open set. */
export const OTHER = "OTHER";
/** The gateway's own answer for a crash (http.ts): not a domain error. */
export const INTERNAL_ERROR = "INTERNAL_ERROR";
export type MetricErrorCode = ErrorCode | typeof INTERNAL_ERROR;
export const METRIC_ERROR_CODES: readonly MetricErrorCode[] = [...ERROR_CODES, INTERNAL_ERROR];

/** `value` if it is one of `allowed`, else OTHER. */
export function bounded<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
): T | typeof OTHER {
  return allowed.includes(value as T) ? (value as T) : OTHER;
}

export type MetricUnit = "Count" | "Milliseconds" | "None";
export interface MetricDefinition {
  name: string;
  unit: MetricUnit;
  /** What a dashboard and an operator read it as. */
  description: string;
}

const metric = (name: string, unit: MetricUnit, description: string): MetricDefinition => ({
  name,
  unit,
  description,
});

/** Per request, dimensions service, Stage, Route; errors also service, Stage, Route, ErrorCode. */
export const ROUTE_METRIC = {
  requests: metric("Requests", "Count", "requests answered"),
  latency: metric("Latency", "Milliseconds", "time in the handler"),
  clientErrors: metric("ClientErrors", "Count", "4xx answers"),
  serverErrors: metric("ServerErrors", "Count", "5xx answers"),
} as const;

/** Listing decisions, counted when their route answers 2xx; dimensions service, Stage. */
export const LISTING_EVENT = {
  created: metric("ListingCreated", "Count", "listings created"),
  submitted: metric("ListingSubmitted", "Count", "listings submitted for review"),
  approved: metric("ListingApproved", "Count", "listings approved"),
  rejected: metric("ListingRejected", "Count", "listings rejected"),
  published: metric("ListingPublished", "Count", "listings published"),
} as const;
export type ListingEvent = keyof typeof LISTING_EVENT;

/** The route whose 2xx is the event. Typed by RouteKey: a renamed route fails to compile. */
export const ROUTE_EVENTS = {
  "POST /api/v1/hosts/{hostId}/listings": "created",
  "POST /api/v1/hosts/{hostId}/listings/{listingId}/submit": "submitted",
  "POST /api/v1/admin/listings/{listingId}/approve": "approved",
  "POST /api/v1/admin/listings/{listingId}/reject": "rejected",
  "PUT /api/v1/hosts/{hostId}/listings/{listingId}/publish": "published",
} as const satisfies Partial<Record<RouteKey, ListingEvent>>;

/** The processor's, per photo; dimensions service, Stage (PhotoFailed: also Reason). */
export const PHOTO_METRIC = {
  ready: metric("PhotoReady", "Count", "photos processed"),
  failed: metric("PhotoFailed", "Count", "photos refused, by reason"),
  processingTime: metric("PhotoProcessingTime", "Milliseconds", "time to process one photo"),
  inputMegapixels: metric("PhotoInputMegapixels", "None", "megapixels of the uploaded file"),
} as const;
export const PHOTO_FAILURE_REASONS: readonly FailureReason[] = FAILURE_REASONS;

/** `localstays migrate run --apply`, per run that applied one; dimensions service, Stage. */
export const MIGRATION_METRIC = {
  applied: metric("MigrationsApplied", "Count", "migrations applied"),
} as const;
