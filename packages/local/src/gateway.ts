import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Runtime } from "@localstays/core/runtime";
import { API_CORS } from "@localstays/functions/cors";
import { routeFunctionName } from "@localstays/functions/function-names";
import type { Route } from "@localstays/functions/routes";
import type { ApiThrottle } from "../../../stacks/throttle.js";
import { buildApiGatewayEvent, type HttpResponse, toHttpResponse } from "./apigw-event.js";
import type { RunningService } from "./child-process.js";
import { BodyTooLarge, closeServer, listen, readBody } from "./http-server.js";
import {
  AuthorizationFailed,
  type AuthorizedCaller,
  AuthorizerUnavailable,
  type JwtAuthorizer,
} from "./jwt.js";
import { invokeHandler, LambdaTimeout, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";
import { createRouter } from "./routing.js";
import { currentOf } from "./runtime-of.js";
import { routeThrottle, tooManyRequests } from "./throttle.js";

/**
 * The local API Gateway: the route table of packages/functions, the JWT authorizer, the
 * payload 2.0 event, the real handler. Its own answers (no route, no token, too large, a
 * crashed handler) use the API's error shape `{ error: { code, message } }` where API
 * Gateway would send `{ message }`, so clients handle one shape.
 */
export interface GatewayOptions {
  port: number;
  routes: readonly Route[];
  authorize: JwtAuthorizer;
  region: string;
  stage: string;
  log: Log;
  /** API Gateway's payload limit is 10 MB. */
  bodyLimitBytes?: number;
  /** API Gateway's integration timeout: 30 s. */
  timeoutMs?: number;
  /**
   * The stack's configuration, which each invocation runs in; a function gives the current
   * one at each invocation (the local stack switches tables at a restore's cut-over).
   */
  runtime?: Runtime | (() => Runtime);
  /** The stage's throttles (stacks/throttle.ts); none: unthrottled. */
  throttle?: ApiThrottle;
}

const TEN_MB = 10 * 1024 * 1024;

export function errorResponse(
  statusCode: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify({ error: { code, message } })),
  };
}

/**
 * Locally every origin may call the API, as on the dev stages (`corsOrigins: ["*"]` in
 * stacks/stage.ts): API Gateway then answers `*`, which also means no credentialed requests.
 */
function corsHeaders(request: IncomingMessage): Record<string, string> {
  if (!request.headers.origin) return {};
  return {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": API_CORS.exposeHeaders.join(","),
  };
}

/** The requested headers the API allows (all of them when none are named), as API Gateway answers. */
function allowedHeaders(request: IncomingMessage): string {
  const allowed: readonly string[] = API_CORS.allowHeaders;
  const requested = (request.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((header) => header.trim().toLowerCase())
    .filter((header) => allowed.includes(header));
  return (requested.length ? requested : allowed).join(",");
}

function preflight(request: IncomingMessage): HttpResponse {
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(request),
      "access-control-allow-methods": API_CORS.allowMethods.join(","),
      "access-control-allow-headers": allowedHeaders(request),
      "access-control-max-age": String(API_CORS.maxAgeSeconds),
    },
    cookies: [],
    body: Buffer.alloc(0),
  };
}

function write(response: ServerResponse, result: HttpResponse, extra: Record<string, string>) {
  const headers: Record<string, string | string[]> = { ...result.headers, ...extra };
  if (result.cookies.length) headers["set-cookie"] = result.cookies;
  headers["content-length"] = String(result.body.length);
  response.writeHead(result.statusCode, headers);
  response.end(result.body);
}

export async function startGateway(options: GatewayOptions): Promise<RunningService> {
  const { log } = options;
  const router = createRouter(options.routes);
  const throttle = options.throttle && routeThrottle(options.throttle);

  async function route(request: IncomingMessage, requestId: string): Promise<HttpResponse> {
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const rawPath = url.split("?")[0] ?? "/";
    if (method === "OPTIONS" && request.headers["access-control-request-method"]) {
      return preflight(request);
    }
    const match = router.match(method, rawPath);
    if (match.kind !== "route") {
      // API Gateway HTTP APIs have no 405: a known path with another method is a 404 too.
      const message =
        match.kind === "method-not-allowed"
          ? `No route for ${method} ${rawPath} (the path accepts ${match.allowed.join(", ")})`
          : `No route for ${method} ${rawPath}`;
      return errorResponse(404, "NOT_FOUND", message);
    }
    const { route: matched, pathParameters } = match;
    // As API Gateway: the route's bucket first, before the authorizer and the handler.
    if (throttle && !throttle.admit(`${matched.method} ${matched.path}`)) return tooManyRequests();

    let caller: AuthorizedCaller | undefined;
    if (matched.auth !== "public") {
      try {
        caller = await options.authorize(request.headers.authorization);
      } catch (error) {
        if (error instanceof AuthorizerUnavailable) {
          log.error(error.message);
          return errorResponse(503, "SERVICE_UNAVAILABLE", "The token cannot be checked right now");
        }
        if (!(error instanceof AuthorizationFailed)) throw error;
        return errorResponse(401, "UNAUTHORIZED", error.message, {
          "www-authenticate": `Bearer error="invalid_token" error_description="${error.description}"`,
        });
      }
    }

    let body: Buffer;
    const limit = options.bodyLimitBytes ?? TEN_MB;
    try {
      body = await readBody(request, limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const message = `The request body is over the limit of ${limit} bytes`;
        return errorResponse(413, "PAYLOAD_TOO_LARGE", message, { connection: "close" });
      }
      throw error;
    }

    const routeKey = `${matched.method} ${matched.path}`;
    const event = buildApiGatewayEvent(
      {
        method,
        url,
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
        httpVersion: request.httpVersion,
      },
      {
        routeKey,
        pathParameters,
        ...(caller ? { jwt: caller } : {}),
        requestId,
        time: new Date(),
        stage: "$default",
      },
    );
    const functionName = routeFunctionName(options.stage, matched);
    try {
      const handler = await loadHandler(matched.handler);
      const result = await invokeHandler(handler, event, {
        functionName,
        region: options.region,
        timeoutMs: options.timeoutMs ?? 30_000,
        requestId,
        runtime: currentOf(options.runtime),
      });
      return toHttpResponse(result);
    } catch (error) {
      if (error instanceof LambdaTimeout) {
        log.error(`${routeKey}: ${error.message} (request ${requestId})`);
        return errorResponse(
          503,
          "SERVICE_UNAVAILABLE",
          `The handler timed out (request ${requestId})`,
        );
      }
      log.error(`${routeKey}: ${matched.handler} failed (request ${requestId})`, error);
      return errorResponse(500, "INTERNAL_ERROR", `Internal error (request ${requestId})`);
    }
  }

  const server = createServer((request, response) => {
    const started = Date.now();
    const requestId = randomUUID();
    const extra = { ...corsHeaders(request), "apigw-requestid": requestId };
    route(request, requestId)
      .catch((error) => {
        log.error(`Gateway error on ${request.method} ${request.url}`, error);
        return errorResponse(500, "INTERNAL_ERROR", `Internal error (request ${requestId})`);
      })
      .then((result) => {
        write(response, result, extra);
        log.info(
          `${request.method} ${request.url} → ${result.statusCode} (${Date.now() - started} ms)`,
        );
      });
  });
  await listen(server, options.port);
  return { endpoint: `http://localhost:${options.port}`, stop: () => closeServer(server) };
}
