import { routeKey, routes } from "@localstays/functions/routes";
import { describe, expect, it } from "vitest";
import { createApiClient } from "./client.js";
import { endpoint } from "./routes.js";

describe("endpoint", () => {
  it("takes method, path and token from the route table, parameters URL-encoded", () => {
    expect(
      endpoint("PATCH /api/v1/hosts/{hostId}/listings/{listingId}", {
        hostId: "h 1",
        listingId: "l/2",
      }),
    ).toEqual({ method: "PATCH", path: "/hosts/h%201/listings/l%2F2", auth: true });
    expect(endpoint("GET /api/v1/listings/{listingId}", { listingId: "l1" })).toEqual({
      method: "GET",
      path: "/listings/l1",
      auth: false,
    });
  });

  it("knows every route of the table, and only those", () => {
    for (const route of routes) {
      const params = Object.fromEntries(
        [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [name, "x"]),
      );
      // biome-ignore lint/suspicious/noExplicitAny: every key of the table, checked at run time here.
      const { method, auth } = endpoint(routeKey(route) as any, params as any);
      expect({ method, auth }).toEqual({ method: route.method, auth: route.auth !== "public" });
    }
    // biome-ignore lint/suspicious/noExplicitAny: a key the table does not have.
    expect(() => endpoint("GET /api/v1/nope" as any, {} as any)).toThrow(/No route/);
  });
});

describe("ApiClient.call", () => {
  it("sends a public route without a token and a host route with one", async () => {
    const urls: { url: string; init: RequestInit | undefined }[] = [];
    const client = createApiClient({
      baseUrl: "https://api.example.com",
      accessToken: async () => "access-token",
      fetch: async (input, init) => {
        urls.push({ url: String(input), init });
        return new Response("{}", { status: 200 });
      },
    });
    await client.call("GET /api/v1/listings", {}, { query: { city: "Bern" } });
    await client.call("POST /api/v1/hosts/{hostId}/listings/{listingId}/submit", {
      hostId: "h1",
      listingId: "l1",
    });
    expect(urls[0]?.url).toBe("https://api.example.com/api/v1/listings?city=Bern");
    expect(urls[0]?.init?.headers).not.toHaveProperty("authorization");
    expect(urls[1]?.url).toBe("https://api.example.com/api/v1/hosts/h1/listings/l1/submit");
    expect(urls[1]?.init).toMatchObject({
      method: "POST",
      headers: { authorization: "Bearer access-token" },
    });
  });
});
