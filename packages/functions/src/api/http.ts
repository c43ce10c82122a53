import {
  type Actor,
  actingGroups,
  assertAccessToken,
  Conflict,
  DomainError,
  Forbidden,
  Host,
  NotFound,
  QuotaExceeded,
  Unauthorized,
  ValidationError,
} from "@localstays/core";
import { runtime } from "@localstays/core/runtime";
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import {
  bounded,
  INTERNAL_ERROR,
  type ListingEvent,
  METRIC_ERROR_CODES,
  type OTHER,
  ROUTE_EVENTS,
  ROUTE_KEYS,
  type RouteKey,
  SERVICE,
} from "../metrics.js";
import { type Correlation, recordRequest, Telemetry } from "../observability.js";
import { lambdaRuntime } from "../runtime.js";

/** An authorizer-verified request. Public routes simply never ask for the actor. */
export interface ApiRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  /** Path parameter by name; API Gateway only routes here when it is present. */
  param(name: string): string;
  /** The parsed JSON body; a body that is not JSON is a 400. */
  json(): unknown;
  /** The query string; API Gateway joins a repeated parameter's values with commas. */
  query(): Record<string, string>;
  /** A request header by lower-case name (API Gateway v2 lower-cases them). */
  header(name: string): string | undefined;
  /** The caller, from the JWT claims; throws Unauthorized when there are none. */
  actor(): Promise<Actor>;
  /**
   * Ids the request learnt on the way (the image id it created): its log lines and its trace
   * carry them from here on. The path's hostId, listingId and imageId are there already.
   */
  correlate(keys: Correlation): void;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type ApiHandler = (request: ApiRequest) => Promise<ApiResult>;

const STATUS: ReadonlyArray<[new (...args: never[]) => DomainError, number]> = [
  [ValidationError, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [QuotaExceeded, 429],
];

/** A quota that frees by itself says when: `Retry-After` in seconds, as HTTP has it. */
function retryAfter(error: DomainError): Record<string, string> {
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === "number" ? { "retry-after": String(seconds) } : {};
}

export function statusOf(error: DomainError): number {
  return STATUS.find(([type]) => error instanceof type)?.[1] ?? 400;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    statusCode: status,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? "" : JSON.stringify(body),
  } satisfies APIGatewayProxyStructuredResultV2;
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

function toRequest(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  correlate: (keys: Correlation) => void,
): ApiRequest {
  let actor: Promise<Actor> | undefined;
  return {
    event,
    param(name) {
      const value = event.pathParameters?.[name];
      if (value === undefined) throw new ValidationError(`Missing path parameter ${name}`);
      return value;
    },
    json() {
      if (!event.body) return undefined;
      const text = event.isBase64Encoded
        ? Buffer.from(event.body, "base64").toString("utf8")
        : event.body;
      try {
        return JSON.parse(text);
      } catch {
        throw new ValidationError("The request body is not valid JSON");
      }
    },
    query() {
      return Object.fromEntries(
        Object.entries(event.queryStringParameters ?? {}).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      );
    },
    header(name) {
      return event.headers?.[name];
    },
    actor() {
      actor ??= resolveActor(event);
      return actor;
    },
    correlate,
  };
}

async function resolveActor(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<Actor> {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (!claims || typeof sub !== "string" || !sub) {
    throw new Unauthorized("A valid bearer token is required");
  }
  const { config } = runtime();
  // Without it no token could be checked: a deployment error, not the caller's (a 500).
  if (!config.USER_POOL_CLIENT_ID) throw new Error("USER_POOL_CLIENT_ID is not configured");
  assertAccessToken(claims, config.USER_POOL_CLIENT_ID);
  const [{ groups, adminTotpMissing }, hostId] = await Promise.all([
    actingGroups(claims["cognito:groups"], { totpRequired: config.ADMIN_TOTP_REQUIRED }, () =>
      userHasTotp(config.USER_POOL_ID, claims.username),
    ),
    Host.hostIdOf(sub),
  ]);
  return {
    sub,
    groups,
    ...(hostId ? { hostId } : {}),
    ...(adminTotpMissing ? { adminTotpMissing } : {}),
  };
}

/**
 * The pool's answer for the token's user (an access token's `username` claim). Imported on
 * first use: only admin tokens on stages that require TOTP get here, and the Cognito SDK
 * client would otherwise add to every API function's cold start.
 */
async function userHasTotp(userPoolId: string | undefined, username: unknown): Promise<boolean> {
  if (!userPoolId) throw new Error("USER_POOL_ID is not configured");
  if (typeof username !== "string" || !username) {
    throw new Unauthorized("The access token names no user");
  }
  const [{ cognitoClient }, { hasTotp }] = await Promise.all([
    import("../auth/cognito.js"),
    import("../auth/totp.js"),
  ]);
  return hasTotp(cognitoClient(), { userPoolId, username });
}

const telemetry = new Telemetry(SERVICE.api);
/** The API functions' logger (its level and format; the keys travel per request). */
export const logger = telemetry.logger;

/** The ids of a request's path: its log lines and trace carry them. */
function pathIds(event: APIGatewayProxyEventV2WithJWTAuthorizer): Correlation {
  const { hostId, listingId, imageId } = event.pathParameters ?? {};
  return { hostId, listingId, imageId };
}

/** The listing decision a route's 2xx records (metrics.ts), if any. */
function eventOf(route: RouteKey | typeof OTHER): ListingEvent | undefined {
  return (ROUTE_EVENTS as Partial<Record<string, ListingEvent>>)[route];
}

/**
 * Wraps a route handler: typed domain errors become their 4xx, anything else a logged 500.
 * Every request leaves one "Request" log line (route, status, latency, the ids) and its
 * metrics (metrics.ts), and runs in its own X-Ray subsegment where the stage traces.
 */
export function http(handler: ApiHandler) {
  return async (
    event: APIGatewayProxyEventV2WithJWTAuthorizer,
    context?: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? "unknown";
    const route = bounded(event.routeKey, ROUTE_KEYS);
    let stage = "unknown";
    let log = telemetry.begin(stage, context, { requestId });
    let code: string | undefined;
    let response: APIGatewayProxyStructuredResultV2 & { statusCode: number };
    try {
      const { runtime, tracing } = await lambdaRuntime(SERVICE.api);
      stage = runtime.config.STAGE;
      log = telemetry.begin(stage, context, { requestId, ...pathIds(event) });
      const ids = { ...pathIds(event) };
      const result = await tracing.invocation(route, () => {
        tracing.annotate({ requestId, ...ids });
        return runtime.run(() =>
          handler(
            toRequest(event, (keys) => {
              log.add(keys);
              tracing.annotate(keys);
            }),
          ),
        );
      });
      response = json(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      if (error instanceof DomainError) {
        code = error.code;
        response = json(
          statusOf(error),
          errorBody(error.code, error.message, error.details),
          retryAfter(error),
        );
      } else {
        code = INTERNAL_ERROR;
        log.error("Unhandled error", error);
        response = json(500, errorBody(INTERNAL_ERROR, `Internal error (request ${requestId})`));
      }
    }
    const latencyMs = Math.round(performance.now() - started);
    const status = response.statusCode;
    log.info("Request", { route, status, latencyMs, ...(code ? { code } : {}) });
    recordRequest(telemetry, log, stage, {
      route,
      status,
      latencyMs,
      ...(code ? { code: bounded(code, METRIC_ERROR_CODES) } : {}),
      ...(eventOf(route) ? { event: eventOf(route) } : {}),
    });
    return response;
  };
}
