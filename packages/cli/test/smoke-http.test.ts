import { describe, expect, it } from "vitest";
import { apiClient } from "../src/smoke/http.js";

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers });

describe("the smoke suite's API client on 429", () => {
  it("sends the request again after the API's throttle, then reports what it got", async () => {
    const statuses = [429, 429, 200];
    const calls: string[] = [];
    const client = apiClient("https://api.example.com/", {
      timeoutMs: 1000,
      retryDelaysMs: [0, 0],
      fetch: async (url) => {
        calls.push(String(url));
        const status = statuses.shift() ?? 500;
        return status === 429
          ? answer(429, { message: "Too Many Requests" })
          : answer(200, { ok: true });
      },
    });
    const response = await client.request("GET", "/api/v1/health");
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
  });

  it("gives up after its last wait and answers the 429 (a quota's, with Retry-After)", async () => {
    let calls = 0;
    const client = apiClient("https://api.example.com", {
      timeoutMs: 1000,
      retryDelaysMs: [0],
      fetch: async () => {
        calls++;
        return answer(
          429,
          { error: { code: "QUOTA_EXCEEDED", message: "used up" } },
          { "retry-after": "3600" },
        );
      },
    });
    const response = await client.request("POST", "/api/v1/x", { body: {} });
    expect(response.status).toBe(429);
    expect(calls).toBe(2);
  });
});
