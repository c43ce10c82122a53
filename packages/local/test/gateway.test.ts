import type { Route } from "@localstays/functions/routes";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../src/child-process.js";
import { startGateway } from "../src/gateway.js";
import { AuthorizationFailed } from "../src/jwt.js";
import type { Log } from "../src/log.js";
import { freePort } from "../src/ports.js";

/**
 * The gateway's own behaviour with fixture handlers: how it reads handler answers, its
 * error answers, CORS, limits. A stub authorizer stands in for cognito-local here; the real
 * JWT checks are exercised in packages/functions/test/api.test.ts.
 */
const fixture = (name: string) => `packages/local/test/fixtures/handlers.${name}`;
const routes: Route[] = [
  { method: "GET", path: "/echo/{id}", handler: fixture("echo"), auth: "public", table: "none" },
  { method: "POST", path: "/echo/{id}", handler: fixture("echo"), auth: "public", table: "none" },
  { method: "GET", path: "/private/echo", handler: fixture("echo"), auth: "host", table: "none" },
  { method: "GET", path: "/files/{key+}", handler: fixture("echo"), auth: "public", table: "none" },
  {
    method: "GET",
    path: "/files/special",
    handler: fixture("plainString"),
    auth: "public",
    table: "none",
  },
  {
    method: "GET",
    path: "/plain-object",
    handler: fixture("plainObject"),
    auth: "public",
    table: "none",
  },
  {
    method: "GET",
    path: "/plain-string",
    handler: fixture("plainString"),
    auth: "public",
    table: "none",
  },
  {
    method: "GET",
    path: "/structured",
    handler: fixture("structured"),
    auth: "public",
    table: "none",
  },
  { method: "GET", path: "/throws", handler: fixture("throws"), auth: "public", table: "none" },
  {
    method: "GET",
    path: "/malformed",
    handler: fixture("malformed"),
    auth: "public",
    table: "none",
  },
  { method: "GET", path: "/slow", handler: fixture("slow"), auth: "public", table: "none" },
  {
    method: "GET",
    path: "/callback",
    handler: fixture("callbackStyle"),
    auth: "public",
    table: "none",
  },
];

let gateway: RunningService;
let base: string;
const logged: string[] = [];
const log: Log = { info() {}, warn() {}, error: (message) => logged.push(message) };

beforeAll(async () => {
  const port = await freePort();
  gateway = await startGateway({
    port,
    routes,
    region: "eu-north-1",
    stage: "test",
    log,
    bodyLimitBytes: 1024,
    timeoutMs: 200,
    authorize: async (header) => {
      if (header !== "Bearer good") throw new AuthorizationFailed("bad token", "bad token");
      return {
        claims: { sub: "user-1", "cognito:groups": ["admins", "hosts"], exp: 1700000000 },
        scopes: null,
      };
    },
  });
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => gateway?.stop());

async function json(response: Response) {
  return JSON.parse(await response.text());
}

describe("local gateway", () => {
  it("hands the handler an API Gateway v2 event", async () => {
    const response = await fetch(`${base}/echo/a%20b?x=1&x=2&y=%C3%A9`, {
      headers: { "X-Custom": "One", cookie: "c1=v1; c2=v2" },
    });
    const event = (await json(response)) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /echo/{id}",
      rawPath: "/echo/a%20b",
      rawQueryString: "x=1&x=2&y=%C3%A9",
      cookies: ["c1=v1", "c2=v2"],
      pathParameters: { id: "a b" },
      queryStringParameters: { x: "1,2", y: "é" },
      isBase64Encoded: false,
      requestContext: {
        http: { method: "GET", path: "/echo/a%20b", sourceIp: "127.0.0.1" },
        routeKey: "GET /echo/{id}",
        stage: "$default",
      },
    });
    expect(event.headers["x-custom"]).toBe("One");
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.requestId).toBe(response.headers.get("apigw-requestid"));
    expect(event.requestContext).not.toHaveProperty("authorizer");
  });

  it("passes JWT claims flattened as API Gateway does", async () => {
    const response = await fetch(`${base}/private/echo`, {
      headers: { authorization: "Bearer good" },
    });
    const event = (await json(response)) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event.requestContext.authorizer.jwt.claims).toEqual({
      sub: "user-1",
      "cognito:groups": "[admins hosts]",
      exp: "1700000000",
    });
  });

  it("answers 401 in the API's error shape when the authorizer refuses", async () => {
    const response = await fetch(`${base}/private/echo`, {
      headers: { authorization: "Bearer bad" },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("invalid_token");
    expect(await json(response)).toEqual({ error: { code: "UNAUTHORIZED", message: "bad token" } });
  });

  it("sends a JSON body as text and a binary body base64-encoded", async () => {
    const text = await json(
      await fetch(`${base}/echo/1`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: '{"a":1}',
      }),
    );
    expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = await json(
      await fetch(`${base}/echo/1`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: new Uint8Array([137, 80, 78, 71]),
      }),
    );
    expect(binary).toMatchObject({ body: "iVBORw==", isBase64Encoded: true });
  });

  it("prefers the most specific route and passes a greedy parameter whole", async () => {
    expect(await (await fetch(`${base}/files/special`)).text()).toBe("just text");
    const event = await json(await fetch(`${base}/files/a/b%2Fc.jpg`));
    expect(event.pathParameters).toEqual({ key: "a/b/c.jpg" });
  });

  it("reads a plain object or string answer as a 200 JSON body", async () => {
    const object = await fetch(`${base}/plain-object`);
    expect(object.status).toBe(200);
    expect(object.headers.get("content-type")).toBe("application/json");
    expect(await json(object)).toEqual({ hello: "world" });
    expect(await (await fetch(`${base}/plain-string`)).text()).toBe("just text");
  });

  it("honours a structured answer: status, headers, cookies, base64 body", async () => {
    const response = await fetch(`${base}/structured`);
    expect(response.status).toBe(201);
    expect(response.headers.get("x-count")).toBe("5");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it("supports callback-style handlers", async () => {
    const response = await fetch(`${base}/callback`);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("called back");
  });

  it("turns a throwing handler or a malformed answer into a JSON 500 that hides the error", async () => {
    for (const path of ["/throws", "/malformed"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(500);
      const body = await json(response);
      expect(body.error.code).toBe("INTERNAL_ERROR");
      expect(JSON.stringify(body)).not.toContain("secret internals");
      // ...while the developer sees what went wrong, with the request id.
      expect(
        logged.some((m) => m.includes(path) && m.includes(body.error.message.slice(-37, -1))),
      ).toBe(true);
    }
  });

  it("answers 503 when the handler outlives the integration timeout", async () => {
    const response = await fetch(`${base}/slow`);
    expect(response.status).toBe(503);
    expect((await json(response)).error.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("answers 404 JSON for an unknown path and for a known path with another method", async () => {
    for (const [method, path] of [
      ["GET", "/nowhere"],
      ["DELETE", "/echo/1"],
      ["GET", "/echo/1/extra"],
      ["GET", "/echo/"],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect((await json(response)).error.code).toBe("NOT_FOUND");
    }
  });

  it("answers a CORS preflight for any origin and adds CORS headers to answers", async () => {
    const preflight = await fetch(`${base}/echo/1`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toBe(
      "authorization,content-type",
    );
    const simple = await fetch(`${base}/plain-object`, {
      headers: { origin: "http://localhost:5173" },
    });
    expect(simple.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("refuses a body over the limit with a JSON 413", async () => {
    const response = await fetch(`${base}/echo/1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ big: "x".repeat(2000) }),
    });
    expect(response.status).toBe(413);
    expect((await json(response)).error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
