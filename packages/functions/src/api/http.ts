import { Logger } from "@aws-lambda-powertools/logger";
import {
  type Actor,
  Conflict,
  DomainError,
  Forbidden,
  groupsOfClaim,
  Host,
  NotFound,
  QuotaExceeded,
  Unauthorized,
  ValidationError,
} from "@localstays/core";
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { lambdaRuntime } from "../runtime.js";

export const logger = new Logger({ serviceName: "localstays-api" });

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

function toRequest(event: APIGatewayProxyEventV2WithJWTAuthorizer): ApiRequest {
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
  };
}

async function resolveActor(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<Actor> {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== "string" || !sub) throw new Unauthorized("A valid bearer token is required");
  const hostId = await Host.hostIdOf(sub);
  return { sub, groups: groupsOfClaim(claims?.["cognito:groups"]), ...(hostId ? { hostId } : {}) };
}

/** Wraps a route handler: typed domain errors become their 4xx, anything else a logged 500. */
export function http(handler: ApiHandler) {
  return async (
    event: APIGatewayProxyEventV2WithJWTAuthorizer,
    context?: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? "unknown";
    logger.appendKeys({ requestId, route: event.routeKey });
    try {
      const runtime = lambdaRuntime();
      const result = await runtime.run(() => handler(toRequest(event)));
      return json(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      if (error instanceof DomainError) {
        const body = errorBody(error.code, error.message, error.details);
        return json(statusOf(error), body, retryAfter(error));
      }
      logger.error("Unhandled error", { error: error as Error });
      return json(500, errorBody("INTERNAL_ERROR", `Internal error (request ${requestId})`));
    } finally {
      logger.resetKeys();
    }
  };
}
