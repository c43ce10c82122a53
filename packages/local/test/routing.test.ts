import { describe, expect, it } from "vitest";
import { parseHandlerString } from "../src/lambda-runtime.js";
import { createRouter } from "../src/routing.js";

const routes = [
  { method: "GET", path: "/api/v1/hosts/{hostId}" },
  { method: "PATCH", path: "/api/v1/hosts/{hostId}" },
  { method: "GET", path: "/api/v1/hosts/me" },
  { method: "GET", path: "/api/v1/hosts/{hostId}/listings/{listingId}" },
  { method: "GET", path: "/static/{proxy+}" },
] as const;
const router = createRouter(routes);

describe("route matching", () => {
  it("decodes path parameters", () => {
    expect(router.match("GET", "/api/v1/hosts/host_1/listings/l%201")).toMatchObject({
      kind: "route",
      pathParameters: { hostId: "host_1", listingId: "l 1" },
    });
  });

  it("prefers a literal segment to a parameter, whatever the table's order", () => {
    const match = router.match("GET", "/api/v1/hosts/me");
    expect(match.kind === "route" && match.route.path).toBe("/api/v1/hosts/me");
    // The literal route has no PATCH, so the parameter route takes it.
    const patch = router.match("PATCH", "/api/v1/hosts/me");
    expect(patch).toMatchObject({ kind: "route", pathParameters: { hostId: "me" } });
  });

  it("matches a greedy parameter over several segments, never over none", () => {
    expect(router.match("GET", "/static/a/b.css")).toMatchObject({
      pathParameters: { proxy: "a/b.css" },
    });
    expect(router.match("GET", "/static/").kind).toBe("none");
  });

  it("tells a path with other methods from an unknown path", () => {
    expect(router.match("DELETE", "/api/v1/hosts/x")).toEqual({
      kind: "method-not-allowed",
      allowed: ["GET", "PATCH"],
    });
    expect(router.match("GET", "/api/v1/hosts").kind).toBe("none");
    expect(router.match("GET", "/api/v1/hosts/x/").kind).toBe("none");
  });
});

describe("handler strings", () => {
  it("splits the file from the export, as SST reads them", () => {
    expect(parseHandlerString("packages/functions/src/api/hosts/get.handler")).toEqual({
      file: "packages/functions/src/api/hosts/get",
      exportName: "handler",
    });
    expect(() => parseHandlerString("no-export")).toThrow();
  });
});
