import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../src/sign-in.js";
import type { LocalStack } from "../src/stack.js";
import { claimsOf, forgeToken, startTestStack } from "../src/testing.js";

/**
 * The API handlers as a client sees them: through the local gateway (route table, JWT
 * authorizer, API Gateway event), with tokens of the demo users from cognito-local.
 */
let stack: LocalStack;
const tokens: Record<"host" | "admin", string> = { host: "", admin: "" };
const hostIds: Record<"host" | "admin", string> = { host: "", admin: "" };

interface Call {
  status: number;
  body: { error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<
    string,
    unknown
  >;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Call> {
  const response = await fetch(`${stack.outputs.ApiUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  // A 5xx is a bug, whatever the request; every error has the one error shape.
  expect(response.status, text).toBeLessThan(500);
  if (response.status >= 400) {
    expect(body).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
    expect(Object.keys(body.error).every((k) => ["code", "message", "details"].includes(k))).toBe(
      true,
    );
  }
  return { status: response.status, body };
}

beforeAll(async () => {
  stack = await startTestStack();
  for (const role of ["host", "admin"] as const) {
    const user = stack.outputs.DemoUsers.find((u) => u.email.startsWith(role));
    if (!user) throw new Error(`no demo ${role}`);
    tokens[role] = (await signIn(stack.outputs, user.email, user.password)).AccessToken;
    hostIds[role] = (await call("GET", "/api/v1/me", { token: tokens[role] })).body
      .hostId as string;
  }
});

afterAll(() => stack?.stop());

describe("GET /api/v1/health", () => {
  it("answers without a token", async () => {
    const { status, body } = await call("GET", "/api/v1/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", stage: "local" });
  });
});

describe("GET /api/v1/me", () => {
  it("refuses a request without a token", async () => {
    const { status, body } = await call("GET", "/api/v1/me");
    expect(status).toBe(401);
    expect(body.error?.code).toBe("UNAUTHORIZED");
  });

  it("refuses a garbage, an expired, a foreign and a wrong-audience token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      "garbage",
      "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
      await forgeToken(stack.outputs, { iat: now - 7200, exp: now - 3600 }),
      await forgeToken(stack.outputs, { token_use: "id", aud: "some-other-client" }),
      await forgeToken(stack.outputs, { client_id: "some-other-client" }),
      await forgeToken(stack.outputs, { iss: "http://127.0.0.1:1/local_other" }),
    ];
    for (const token of bad) {
      const { status, body } = await call("GET", "/api/v1/me", { token });
      expect(status, token).toBe(401);
      expect(body.error?.code).toBe("UNAUTHORIZED");
    }
  });

  it("accepts a token signed with the pool's key and valid claims (the refusals above are about claims)", async () => {
    const { sub } = claimsOf(tokens.host);
    const { status, body } = await call("GET", "/api/v1/me", {
      token: await forgeToken(stack.outputs, { sub }),
    });
    expect(status).toBe(200);
    expect(body.hostId).toBe(hostIds.host);
  });

  it("returns the demo host's own profile", async () => {
    const { status, body } = await call("GET", "/api/v1/me", { token: tokens.host });
    expect(status).toBe(200);
    expect(body).toMatchObject({ email: "host@localstays.dev", hostId: hostIds.host });
    expect(body).not.toHaveProperty("cognitoSub");
  });

  it("refuses an ID token of the stage's own app client (API Gateway's authorizer lets it through)", async () => {
    const host = stack.outputs.DemoUsers[0];
    if (!host) throw new Error("no demo host");
    const { IdToken } = await signIn(stack.outputs, host.email, host.password);
    const { status, body } = await call("GET", "/api/v1/me", { token: IdToken });
    expect(status).toBe(401);
    expect(body.error).toMatchObject({
      code: "UNAUTHORIZED",
      message: expect.stringMatching(/ID tokens are not accepted/),
    });
    const forged = await forgeToken(stack.outputs, {
      token_use: "id",
      sub: claimsOf(tokens.host).sub,
    });
    expect((await call("GET", "/api/v1/me", { token: forged })).status).toBe(401);
  });
});

describe("GET /api/v1/hosts/{hostId}", () => {
  it("gives a host its own record and refuses another host's", async () => {
    expect(
      (await call("GET", `/api/v1/hosts/${hostIds.host}`, { token: tokens.host })).status,
    ).toBe(200);
    const other = await call("GET", `/api/v1/hosts/${hostIds.admin}`, { token: tokens.host });
    expect(other.status).toBe(403);
    expect(other.body.error?.code).toBe("FORBIDDEN");
  });

  it("lets an admin read any host and 404s an unknown one", async () => {
    const any = await call("GET", `/api/v1/hosts/${hostIds.host}`, { token: tokens.admin });
    expect(any.status).toBe(200);
    expect(any.body.email).toBe("host@localstays.dev");
    const unknown = await call("GET", "/api/v1/hosts/host_01ARZ3NDEKTSV4RRFFQ69G5FAV", {
      token: tokens.admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("NOT_FOUND");
  });
});

describe("PATCH /api/v1/hosts/{hostId}", () => {
  it("updates the caller's own display name", async () => {
    const { status, body } = await call("PATCH", `/api/v1/hosts/${hostIds.host}`, {
      token: tokens.host,
      body: JSON.stringify({ displayName: "Ana's flats" }),
    });
    expect(status).toBe(200);
    expect(body.displayName).toBe("Ana's flats");
    const again = await call("GET", "/api/v1/me", { token: tokens.host });
    expect(again.body.displayName).toBe("Ana's flats");
  });

  it("refuses to update another host", async () => {
    const { status } = await call("PATCH", `/api/v1/hosts/${hostIds.admin}`, {
      token: tokens.host,
      body: JSON.stringify({ displayName: "mine now" }),
    });
    expect(status).toBe(403);
  });

  it.each([
    ["an empty object", "{}", "(root)"],
    ["a preference that is not a boolean", JSON.stringify({ reviewEmails: "no" }), "reviewEmails"],
    ["an extra field", JSON.stringify({ displayName: "ok", hostId: "host_x" }), "(root)"],
    ["a name that is too long", JSON.stringify({ displayName: "x".repeat(81) }), "displayName"],
  ])("answers 400 with field details for %s", async (_, body, field) => {
    const response = await call("PATCH", `/api/v1/hosts/${hostIds.host}`, {
      token: tokens.host,
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe("VALIDATION_ERROR");
    expect(Object.keys(response.body.error?.details?.fields as object)).toContain(field);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await call("PATCH", `/api/v1/hosts/${hostIds.host}`, {
      token: tokens.host,
      body: "{displayName:",
    });
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe("VALIDATION_ERROR");
  });
});

describe("the gateway", () => {
  it("answers an unknown route and a known path with another method with a JSON 404", async () => {
    const unknown = await call("GET", "/api/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("NOT_FOUND");
    const wrongMethod = await call("DELETE", `/api/v1/hosts/${hostIds.host}`, {
      token: tokens.host,
    });
    expect(wrongMethod.status).toBe(404);
  });
});
