import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";

/**
 * API Gateway HTTP API, payload format 2.0, both ways: the event a Lambda integration
 * receives and how API Gateway reads the function's answer. Handlers must not be able to
 * tell the local gateway from API Gateway, so the quirks are reproduced on purpose.
 */
export interface RawRequest {
  method: string;
  /** Path and query string exactly as the client sent them. */
  url: string;
  /** Node's `rawHeaders`: name, value, name, value... with duplicates kept. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  httpVersion?: string;
}

export interface EventContext {
  routeKey: string;
  pathParameters?: Record<string, string>;
  /** Present on routes with the JWT authorizer: the verified token's payload. */
  jwt?: { claims: Record<string, unknown>; scopes: string[] | null };
  requestId: string;
  time: Date;
  apiId?: string;
  accountId?: string;
  stage?: string;
}

export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The JWT authorizer hands claims to the integration as strings: numbers and booleans
 * printed, arrays in Go's `fmt` notation (`cognito:groups` arrives as "[admins hosts]").
 * Objects are printed the same way (`map[k:v]`); Cognito tokens carry none.
 */
export function flattenClaim(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(" ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `map[${entries.map(([k, v]) => `${k}:${flattenClaim(v)}`).join(" ")}]`;
  }
  return String(value);
}

export function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, flattenClaim(v)]));
}

/** Duplicate headers are joined with commas; names are lower case (payload 2.0). */
export function headersOf(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

/** Duplicate query parameters are joined with commas; values are decoded. */
export function queryParametersOf(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length ? parameters : undefined;
}

/**
 * Which bodies arrive as text. Everything else (images, form posts, no content type at all)
 * arrives base64-encoded with `isBase64Encoded: true`, as API Gateway does.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    type.startsWith("text/") ||
    /^application\/(.+\+)?(json|xml)$/.test(type) ||
    type === "application/javascript"
  );
}

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function apiGatewayTime(date: Date): string {
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

export function buildApiGatewayEvent(request: RawRequest, context: EventContext): ApiGatewayEvent {
  const queryAt = request.url.indexOf("?");
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : request.url.slice(queryAt + 1);
  const { cookie, ...headers } = headersOf(request.rawHeaders);
  const host = headers.host ?? "localhost";
  // API Gateway adds the forwarding headers; handlers that log the caller rely on them.
  headers["x-forwarded-for"] ??= request.sourceIp;
  headers["x-forwarded-proto"] ??= "http";
  headers["x-forwarded-port"] ??= host.split(":")[1] ?? "80";
  headers["x-amzn-trace-id"] ??=
    `Root=1-${Math.floor(context.time.getTime() / 1000).toString(16)}-${context.requestId.replace(/-/g, "").slice(0, 24)}`;
  const cookies = cookie
    ?.split(/;\s*/)
    .map((c) => c.trim())
    .filter(Boolean);
  const queryStringParameters = queryParametersOf(rawQueryString);
  const hasBody = request.body.length > 0;
  const asText = isTextContentType(headers["content-type"]);
  const stage = context.stage ?? "$default";

  const requestContext = {
    accountId: context.accountId ?? "000000000000",
    apiId: context.apiId ?? "local",
    domainName: host,
    domainPrefix: host.split(".")[0]?.split(":")[0] ?? host,
    http: {
      method: request.method,
      path: rawPath,
      protocol: `HTTP/${request.httpVersion ?? "1.1"}`,
      sourceIp: request.sourceIp,
      userAgent: headers["user-agent"] ?? "",
    },
    requestId: context.requestId,
    routeKey: context.routeKey,
    stage,
    time: apiGatewayTime(context.time),
    timeEpoch: context.time.getTime(),
  };

  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: context.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(context.pathParameters && Object.keys(context.pathParameters).length
      ? { pathParameters: context.pathParameters }
      : {}),
    requestContext,
    ...(hasBody
      ? { body: asText ? request.body.toString("utf8") : request.body.toString("base64") }
      : {}),
    isBase64Encoded: hasBody && !asText,
  };
  if (!context.jwt) return event;
  return {
    ...event,
    requestContext: {
      ...requestContext,
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: { claims: flattenClaims(context.jwt.claims), scopes: context.jwt.scopes },
      },
    },
  };
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

export class MalformedLambdaResponse extends Error {
  override name = "MalformedLambdaResponse";
}

/**
 * How API Gateway reads a payload 2.0 answer: an object with `statusCode` is a structured
 * response; anything else (an object, an array, a number, a string) is "the body", sent as
 * 200 application/json. A string is sent as is, anything else as JSON.
 */
export function toHttpResponse(result: unknown): HttpResponse {
  if (result !== null && typeof result === "object" && "statusCode" in result) {
    const structured = result as APIGatewayProxyStructuredResultV2 & { cookies?: unknown };
    const { statusCode } = structured;
    if (
      !Number.isInteger(statusCode) ||
      (statusCode as number) < 100 ||
      (statusCode as number) > 599
    ) {
      throw new MalformedLambdaResponse(`statusCode ${String(statusCode)} is not an HTTP status`);
    }
    if (structured.body !== undefined && typeof structured.body !== "string") {
      throw new MalformedLambdaResponse("body must be a string");
    }
    const headers = Object.fromEntries(
      Object.entries(structured.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const cookies = Array.isArray(structured.cookies) ? structured.cookies.map(String) : [];
    const body = structured.body ?? "";
    return {
      statusCode: statusCode as number,
      headers,
      cookies,
      body: Buffer.from(body, structured.isBase64Encoded ? "base64" : "utf8"),
    };
  }
  const body = typeof result === "string" ? result : (JSON.stringify(result) ?? "null");
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    cookies: [],
    body: Buffer.from(body),
  };
}
