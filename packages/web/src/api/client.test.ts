import { describe, expect, it } from "vitest";
import { createApiClient } from "./client.js";
import { ApiError } from "./errors.js";

function clientAnswering(answer: () => Promise<Response>, { signedIn = true } = {}) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const client = createApiClient({
    baseUrl: "https://api.example.com",
    accessToken: async () => (signedIn ? "access-token" : undefined),
    fetch: async (input, init) => {
      calls.push({ url: String(input), init });
      return answer();
    },
  });
  return { client, calls };
}

const json = (status: number, body: unknown) =>
  Promise.resolve(new Response(JSON.stringify(body), { status }));

describe("createApiClient", () => {
  it("sends the access token, the query and a JSON body below /api/v1", async () => {
    const { client, calls } = clientAnswering(() => json(201, { listingId: "l1" }));
    const body = await client.request("/hosts/h1/listings", {
      method: "POST",
      query: { status: "DRAFT", cursor: undefined },
      body: { listingName: "Loft" },
    });
    expect(body).toEqual({ listingId: "l1" });
    expect(calls[0]?.url).toBe("https://api.example.com/api/v1/hosts/h1/listings?status=DRAFT");
    expect(calls[0]?.init).toMatchObject({
      method: "POST",
      body: '{"listingName":"Loft"}',
      headers: { authorization: "Bearer access-token", "content-type": "application/json" },
    });
  });

  it("sends no token to public routes", async () => {
    const { client, calls } = clientAnswering(() => json(200, { items: [] }), { signedIn: false });
    await client.request("/listings", { auth: false, query: { city: "Zürich" } });
    expect(calls[0]?.url).toBe("https://api.example.com/api/v1/listings?city=Z%C3%BCrich");
    expect(calls[0]?.init?.headers).not.toHaveProperty("authorization");
  });

  it("resolves an empty answer (204) with undefined", async () => {
    const { client } = clientAnswering(() => Promise.resolve(new Response(null, { status: 204 })));
    await expect(client.request("/x", { method: "DELETE" })).resolves.toBeUndefined();
  });

  it("turns the API's error body into an ApiError", async () => {
    const { client } = clientAnswering(() =>
      json(409, {
        error: { code: "VERSION_CONFLICT", message: "stale", details: { currentVersion: 4 } },
      }),
    );
    await expect(client.request("/x")).rejects.toEqual(
      new ApiError(409, "VERSION_CONFLICT", "stale", { currentVersion: 4 }),
    );
  });

  it("reports an unreachable server as status 0", async () => {
    const { client } = clientAnswering(() => Promise.reject(new TypeError("Failed to fetch")));
    await expect(client.request("/x")).rejects.toMatchObject({ status: 0, code: "NETWORK_ERROR" });
  });

  it("keeps the status of an answer that is not the API's JSON", async () => {
    const { client } = clientAnswering(() =>
      Promise.resolve(new Response("<html>Bad gateway</html>", { status: 502 })),
    );
    await expect(client.request("/x")).rejects.toMatchObject({ status: 502, code: "HTTP_502" });
  });

  it("refuses to call a signed-in route without a session", async () => {
    const { client, calls } = clientAnswering(() => json(200, {}), { signedIn: false });
    await expect(client.request("/me")).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(0);
  });

  it("sends a throttled GET again after a pause, and gives up after the last one", async () => {
    let answers = 0;
    const throttled = () => json(429, { message: "Too Many Requests" });
    const client = createApiClient({
      baseUrl: "https://api.example.com",
      accessToken: async () => "access-token",
      throttleRetryDelaysMs: [0, 0],
      fetch: async () => (++answers < 3 ? throttled() : json(200, { items: [] })),
    });
    await expect(client.request("/listings", { auth: false })).resolves.toEqual({ items: [] });
    expect(answers).toBe(3);

    const always = createApiClient({
      baseUrl: "https://api.example.com",
      accessToken: async () => "access-token",
      throttleRetryDelaysMs: [0],
      fetch: throttled,
    });
    await expect(always.request("/listings", { auth: false })).rejects.toMatchObject({
      status: 429,
      code: "THROTTLED",
    });
  });

  it("never repeats a throttled write, nor a refused quota", async () => {
    let answers = 0;
    const client = createApiClient({
      baseUrl: "https://api.example.com",
      accessToken: async () => "access-token",
      throttleRetryDelaysMs: [0, 0],
      fetch: async () => {
        answers++;
        return json(429, { message: "Too Many Requests" });
      },
    });
    await expect(client.request("/x", { method: "POST", body: {} })).rejects.toMatchObject({
      code: "THROTTLED",
    });
    expect(answers).toBe(1);
    const quota = {
      error: { code: "QUOTA_EXCEEDED", message: "used up", details: { quota: "listings" } },
    };
    const refusing = createApiClient({
      baseUrl: "https://api.example.com",
      accessToken: async () => "access-token",
      throttleRetryDelaysMs: [0, 0],
      fetch: async () => {
        answers++;
        return json(429, quota);
      },
    });
    await expect(refusing.request("/y")).rejects.toMatchObject({ code: "QUOTA_EXCEEDED" });
    expect(answers).toBe(2);
  });
});
