import { describe, expect, it } from "vitest";
import { runSmoke } from "../src/smoke/checks.js";
import type { SmokeTarget } from "../src/smoke/target.js";

/**
 * The check sequence against a scripted API, for what a healthy local stack cannot show:
 * a step failing in the middle of the host round trip.
 */
interface Scripted {
  /** Answer a request differently from the happy path; undefined keeps the default. */
  override?: (method: string, path: string) => Response | undefined;
}

function scriptedApi({ override }: Scripted = {}) {
  const calls: string[] = [];
  let listing: Record<string, unknown> | undefined;
  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    calls.push(`${method} ${url.pathname}`);
    const custom = override?.(method, url.pathname);
    if (custom) return custom;
    const one = /^\/api\/v1\/hosts\/host_1\/listings\/(listing_\w+)$/.exec(url.pathname);
    if (url.pathname === "/api/v1/health") return json(200, { status: "ok", stage: "dev1" });
    if (url.pathname === "/api/v1/listings") return json(200, { items: [], nextCursor: null });
    if (url.pathname === "/api/v1/me") return json(200, { hostId: "host_1" });
    if (url.pathname === "/api/v1/hosts/host_1/listings" && method === "POST") {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      listing = { listingId: "listing_01", status: "DRAFT", version: 1, ...body };
      return json(201, listing);
    }
    if (url.pathname === "/api/v1/hosts/host_1/listings") {
      const active = listing && listing.status !== "ARCHIVED" ? [listing] : [];
      return json(200, { items: active, nextCursor: null });
    }
    if (one && listing && method === "GET") return json(200, listing);
    if (one && listing && method === "DELETE") {
      listing = { ...listing, status: "ARCHIVED" };
      return json(204);
    }
    return json(404, { error: { code: "NOT_FOUND", message: `no ${method} ${url.pathname}` } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const target: SmokeTarget = {
  apiUrl: "https://api.example.test",
  source: "stage dev1",
  expectedStage: "dev1",
  user: { username: "smoke@example.com", password: "Smoke-pass-123" },
  cognito: { clientId: "client", region: "eu-north-1" },
};
const deps = { timeoutMs: 1000, city: "zurich", signIn: async () => "token" };

describe("the smoke check sequence", () => {
  it("archives the draft even when the patch fails, and reports the patch", async () => {
    const api = scriptedApi({
      override: (method) =>
        method === "PATCH"
          ? new Response(JSON.stringify({ error: { code: "INTERNAL", message: "boom" } }), {
              status: 500,
            })
          : undefined,
    });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.status]))).toMatchObject({
      "create draft": "pass",
      "read back": "pass",
      patch: "fail",
      archive: "pass",
      "gone from list": "pass",
    });
    expect(report.checks.find((c) => c.name === "patch")?.detail).toBe(
      "PATCH /api/v1/hosts/host_1/listings/listing_01: expected 200, got 500 INTERNAL: boom",
    );
    expect(api.calls).toContain("DELETE /api/v1/hosts/host_1/listings/listing_01");
    expect(report.roundTrip).toEqual({ hostId: "host_1", listingId: "listing_01", archived: true });
  });

  it("names the listing it left behind when the archive fails", async () => {
    const api = scriptedApi({
      override: (method) => (method === "DELETE" ? new Response(null, { status: 503 }) : undefined),
    });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    const archive = report.checks.find((c) => c.name === "archive");
    expect(archive?.status).toBe("fail");
    expect(archive?.detail).toMatch(/LEFT BEHIND: listing listing_01 of host host_1/);
    expect(report.checks.at(-1)).toMatchObject({ name: "gone from list", status: "skip" });
    expect(report.roundTrip?.archived).toBe(false);
  });

  it("creates nothing when sign-in fails, and skips the rest of the round trip", async () => {
    const api = scriptedApi();
    const report = await runSmoke(target, {
      ...deps,
      fetch: api.fetch,
      signIn: async () => {
        throw new Error("unexpected");
      },
    });
    expect(report.checks.filter((c) => c.status === "skip").map((c) => c.name)).toEqual([
      "me",
      "create draft",
      "read back",
      "patch",
      "archive",
      "gone from list",
    ]);
    expect(api.calls.some((call) => call.startsWith("POST"))).toBe(false);
  });

  it("fails health when the API is another stage's, and skips the rest", async () => {
    const api = scriptedApi();
    const report = await runSmoke({ ...target, expectedStage: "prod" }, { ...deps, ...api });
    expect(report.checks[0]?.detail).toMatch(/is stage dev1, not prod/);
    expect(report.checks.slice(1).every((c) => c.status === "skip")).toBe(true);
    expect(api.calls).toEqual(["GET /api/v1/health"]);
  });

  it("fails search when a public result carries private fields", async () => {
    const api = scriptedApi({
      override: (_, path) =>
        path === "/api/v1/listings"
          ? Response.json({ items: [{ listingId: "listing_9", hostId: "host_9" }] })
          : undefined,
    });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    expect(report.checks[1]).toMatchObject({ name: "search", status: "fail" });
    expect(report.checks[1]?.detail).toMatch(/carries hostId/);
  });
});
