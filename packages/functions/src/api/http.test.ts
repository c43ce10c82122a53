import {
  Conflict,
  Forbidden,
  InvalidTransition,
  NotFound,
  ValidationError,
  VersionConflict,
} from "@localstays/core";
import { Runtime, runtime } from "@localstays/core/runtime";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { http, statusOf } from "./http.js";

function event(overrides: Partial<APIGatewayProxyEventV2WithJWTAuthorizer> = {}) {
  return {
    version: "2.0",
    routeKey: "POST /x",
    rawPath: "/x",
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: "req-1" },
    ...overrides,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe("http wrapper", () => {
  it("maps each domain error to its status", () => {
    expect(statusOf(new ValidationError("x"))).toBe(400);
    expect(statusOf(new Forbidden("x"))).toBe(403);
    expect(statusOf(new NotFound("Host", "h"))).toBe(404);
    expect(statusOf(new Conflict("x"))).toBe(409);
    expect(statusOf(new VersionConflict(1, 2))).toBe(409);
    expect(statusOf(new InvalidTransition("DRAFT", "ONLINE", "publish"))).toBe(409);
  });

  it("reads the groups from the claim as API Gateway flattens it, commas included in a name", async () => {
    const handler = http(async (request) => ({ body: await request.actor() }));
    // The API takes access tokens of its own app client only (core's assertAccessToken).
    const withClient = new Runtime({ ...runtime().config, USER_POOL_CLIENT_ID: "test-client" });
    const groupsOf = async (groups: string) => {
      const claims = {
        sub: `no-host-${crypto.randomUUID()}`,
        token_use: "access",
        client_id: "test-client",
        "cognito:groups": groups,
      };
      const response = await withClient.run(() =>
        handler(
          event({ requestContext: { requestId: "r", authorizer: { jwt: { claims } } } } as never),
        ),
      );
      return JSON.parse(response.body ?? "").groups as string[];
    };
    expect(await groupsOf("[admins hosts]")).toEqual(["admins", "hosts"]);
    // A group named "x,admins" is not the admins group.
    expect(await groupsOf("[x,admins]")).toEqual(["x,admins"]);
    expect(await groupsOf("[hosts x,admins]")).toEqual(["hosts", "x,admins"]);
  });

  it("turns a body that is not JSON into a 400 with the error shape", async () => {
    const handler = http(async (request) => ({ body: request.json() }));
    const response = await handler(event({ body: "{nope" }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "")).toEqual({
      error: { code: "VALIDATION_ERROR", message: "The request body is not valid JSON" },
    });
  });

  it("decodes a base64 body", async () => {
    const handler = http(async (request) => ({ body: request.json() }));
    const body = Buffer.from(JSON.stringify({ a: 1 })).toString("base64");
    const response = await handler(event({ body, isBase64Encoded: true }));
    expect(JSON.parse(response.body ?? "")).toEqual({ a: 1 });
  });

  it("answers 401 when a route asks for the actor and there are no claims", async () => {
    const handler = http(async (request) => ({ body: await request.actor() }));
    const response = await handler(event());
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? "").error.code).toBe("UNAUTHORIZED");
  });

  it("hides an unexpected error behind a 500 that names the request", async () => {
    const handler = http(async () => {
      throw new Error("secret internals");
    });
    const response = await handler(event());
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret internals");
    expect(JSON.parse(response.body ?? "").error).toEqual({
      code: "INTERNAL_ERROR",
      message: "Internal error (request req-1)",
    });
  });
});
