import { groupsOfClaim } from "@localstays/core/actor";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  apiGatewayTime,
  buildApiGatewayEvent,
  flattenClaim,
  flattenClaims,
  isTextContentType,
  MalformedLambdaResponse,
  queryParametersOf,
  type RawRequest,
  toHttpResponse,
} from "../src/apigw-event.js";

function request(overrides: Partial<RawRequest> = {}): RawRequest {
  return {
    method: "GET",
    url: "/api/v1/hosts/host_1",
    rawHeaders: ["Host", "localhost:3000", "User-Agent", "curl/8"],
    body: Buffer.alloc(0),
    sourceIp: "127.0.0.1",
    ...overrides,
  };
}

const context = {
  routeKey: "GET /api/v1/hosts/{hostId}",
  requestId: "req-1",
  time: new Date("2024-03-12T19:03:58.123Z"),
};

describe("API Gateway claim flattening", () => {
  it("prints arrays as API Gateway does: [a b]", () => {
    expect(flattenClaim(["admins", "hosts"])).toBe("[admins hosts]");
    expect(flattenClaim(["hosts"])).toBe("[hosts]");
    expect(flattenClaim([])).toBe("[]");
  });

  it("flattens any Cognito group list into a claim the API reads back to the same groups", () => {
    // Cognito's GroupName pattern: letters, marks, symbols, numbers, punctuation; no spaces.
    const groupName = fc.stringMatching(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,12}$/u);
    const special = fc.constantFrom(
      "admins",
      "x,admins",
      "[admins]",
      "admins]",
      "[x",
      ",",
      "hosts",
    );
    const groups = fc.array(fc.oneof(groupName, special), { maxLength: 6 });
    fc.assert(
      fc.property(groups, (list) => {
        expect(groupsOfClaim(flattenClaim(list))).toEqual(list);
      }),
    );
  });

  it("turns numbers and booleans into strings and leaves strings alone", () => {
    expect(
      flattenClaims({ exp: 1710270238, email_verified: true, sub: "abc", "cognito:groups": ["a"] }),
    ).toEqual({ exp: "1710270238", email_verified: "true", sub: "abc", "cognito:groups": "[a]" });
  });

  it("puts the flattened claims and scopes under requestContext.authorizer.jwt", () => {
    const event = buildApiGatewayEvent(request(), {
      ...context,
      jwt: { claims: { sub: "s", "cognito:groups": ["admins", "hosts"], iat: 1 }, scopes: null },
    }) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event.requestContext.authorizer.jwt).toEqual({
      claims: { sub: "s", "cognito:groups": "[admins hosts]", iat: "1" },
      scopes: null,
    });
  });
});

describe("API Gateway v2 event", () => {
  it("has the payload 2.0 shape", () => {
    const event = buildApiGatewayEvent(request(), {
      ...context,
      pathParameters: { hostId: "host_1" },
    });
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /api/v1/hosts/{hostId}",
      rawPath: "/api/v1/hosts/host_1",
      rawQueryString: "",
      pathParameters: { hostId: "host_1" },
      isBase64Encoded: false,
      requestContext: {
        requestId: "req-1",
        routeKey: "GET /api/v1/hosts/{hostId}",
        stage: "$default",
        time: "12/Mar/2024:19:03:58 +0000",
        timeEpoch: 1710270238123,
        domainName: "localhost:3000",
        http: {
          method: "GET",
          path: "/api/v1/hosts/host_1",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "curl/8",
        },
      },
    });
    expect(event).not.toHaveProperty("body");
    expect(event).not.toHaveProperty("queryStringParameters");
    expect(event).not.toHaveProperty("cookies");
  });

  it("lower-cases header names, joins duplicates with commas and moves cookies out", () => {
    const event = buildApiGatewayEvent(
      request({
        rawHeaders: ["X-Tag", "a", "x-tag", "b", "Cookie", "s=1; theme=dark", "Host", "h"],
      }),
      context,
    );
    expect(event.headers["x-tag"]).toBe("a,b");
    expect(event.headers).not.toHaveProperty("cookie");
    expect(event.cookies).toEqual(["s=1", "theme=dark"]);
    expect(event.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("decodes query parameters and joins repeated ones with commas", () => {
    const event = buildApiGatewayEvent(
      request({ url: "/x?city=S%C3%A3o%20Paulo&tag=a&tag=b&e=" }),
      context,
    );
    expect(event.rawQueryString).toBe("city=S%C3%A3o%20Paulo&tag=a&tag=b&e=");
    expect(event.queryStringParameters).toEqual({ city: "São Paulo", tag: "a,b", e: "" });
    expect(queryParametersOf("")).toBeUndefined();
  });

  it("passes a text body as is and any other body base64-encoded", () => {
    const json = buildApiGatewayEvent(
      request({
        method: "POST",
        rawHeaders: ["content-type", "application/json"],
        body: Buffer.from('{"a":"é"}'),
      }),
      context,
    );
    expect(json).toMatchObject({ body: '{"a":"é"}', isBase64Encoded: false });

    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00]);
    for (const type of ["image/jpeg", "application/x-www-form-urlencoded", undefined]) {
      const event = buildApiGatewayEvent(
        request({ method: "POST", rawHeaders: type ? ["content-type", type] : [], body: bytes }),
        context,
      );
      expect(event).toMatchObject({ body: bytes.toString("base64"), isBase64Encoded: true });
    }
  });

  it("knows which content types are text", () => {
    expect(isTextContentType("application/json; charset=utf-8")).toBe(true);
    expect(isTextContentType("application/problem+json")).toBe(true);
    expect(isTextContentType("text/csv")).toBe(true);
    expect(isTextContentType("application/octet-stream")).toBe(false);
    expect(isTextContentType("multipart/form-data; boundary=x")).toBe(false);
  });

  it("formats requestContext.time like API Gateway", () => {
    expect(apiGatewayTime(new Date("2020-01-05T03:04:05Z"))).toBe("05/Jan/2020:03:04:05 +0000");
  });
});

describe("reading a handler's answer (payload 2.0)", () => {
  it("takes a structured answer's status, headers, cookies and base64 body", () => {
    const response = toHttpResponse({
      statusCode: 201,
      headers: { "X-N": 1, "Content-Type": "image/png" },
      cookies: ["a=1"],
      body: Buffer.from([1, 2]).toString("base64"),
      isBase64Encoded: true,
    });
    expect(response).toEqual({
      statusCode: 201,
      headers: { "x-n": "1", "content-type": "image/png" },
      cookies: ["a=1"],
      body: Buffer.from([1, 2]),
    });
  });

  it("sends anything without a statusCode as a 200 JSON body", () => {
    expect(toHttpResponse({ ok: true })).toMatchObject({
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: Buffer.from('{"ok":true}'),
    });
    expect(toHttpResponse("hello").body.toString()).toBe("hello");
    expect(toHttpResponse([1, 2]).body.toString()).toBe("[1,2]");
  });

  it("refuses a malformed structured answer", () => {
    expect(() => toHttpResponse({ statusCode: 42 })).toThrow(MalformedLambdaResponse);
    expect(() => toHttpResponse({ statusCode: 200, body: { not: "a string" } })).toThrow(
      MalformedLambdaResponse,
    );
  });
});
