import { randomUUID } from "node:crypto";
import { ADMIN_GROUP } from "../../packages/core/src/actor.js";
import { type Route, routeKey, routes } from "../../packages/functions/src/routes.js";

/**
 * The one invocation of each cold start: what API Gateway, Cognito and SQS would send. The
 * ids are well-formed but unknown, so a route reads DynamoDB (the caller's host record, the
 * listing) and answers 403/404, or 400 when its body does not validate; the outcome is
 * printed next to the timing.
 */
// ULIDs are Crockford base32 (no I, L, O, U): an id with those is refused before any read.
const ULID = "01JC0DBENCH000000000000000";
const IDS: Record<string, string> = {
  hostId: `host_${ULID}`,
  listingId: `listing_${ULID}`,
  imageId: `image_${ULID}`,
};

export function apiEvent(route: Pick<Route, "method" | "path" | "auth">) {
  const pathParameters = Object.fromEntries(
    [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, IDS[name as string] ?? "x"]),
  );
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => IDS[name] ?? "x");
  const claims = {
    sub: randomUUID(),
    ...(route.auth === "admin" ? { "cognito:groups": `[${ADMIN_GROUP}]` } : {}),
  };
  return {
    version: "2.0",
    routeKey: routeKey(route),
    rawPath,
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    requestContext: {
      requestId: randomUUID(),
      routeKey: routeKey(route),
      http: { method: route.method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1" },
      ...(route.auth === "public" ? {} : { authorizer: { jwt: { claims, scopes: [] } } }),
    },
    pathParameters,
    ...(route.method === "GET" || route.method === "DELETE" ? {} : { body: "{}" }),
    isBase64Encoded: false,
  };
}

/** A first sign-up's confirmation: registers a new host (a new sub every time). */
export function postConfirmationEvent(userPoolId: string) {
  const sub = randomUUID();
  return {
    version: "1",
    triggerSource: "PostConfirmation_ConfirmSignUp",
    region: process.env.AWS_REGION,
    userPoolId,
    userName: sub,
    callerContext: { awsSdkVersion: "cold-bench", clientId: "cold-bench" },
    request: { userAttributes: { sub, email: `${sub}@cold-bench.invalid` } },
    response: {},
  };
}

/** One S3 upload notification for an object that does not exist (the processor records it). */
export function processorEvent(bucket: string) {
  const key = `uploads/${IDS.hostId}/${IDS.listingId}/${IDS.imageId}`;
  const body = {
    Records: [
      {
        eventName: "ObjectCreated:Post",
        s3: { bucket: { name: bucket }, object: { key, size: 1 } },
      },
    ],
  };
  return {
    Records: [
      {
        messageId: randomUUID(),
        body: JSON.stringify(body),
        attributes: { ApproximateReceiveCount: "1" },
        eventSource: "aws:sqs",
      },
    ],
  };
}

/** The route a handler of the table serves (the table holds one handler per route). */
export function routeOfHandler(handler: string): Route | undefined {
  return (routes as readonly Route[]).find((route) => route.handler === handler);
}
