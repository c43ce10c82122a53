import { describe, expect, it } from "vitest";
import { runSmoke, type SmokeReport } from "../src/smoke/checks.js";
import type { SmokeTarget } from "../src/smoke/target.js";

/**
 * The check sequence against a scripted API, for what a healthy local stack cannot show:
 * a step failing in the middle of the host round trip.
 */
interface Scripted {
  /** Answer a request differently from the happy path; undefined keeps the default. */
  override?: (method: string, path: string) => Response | undefined;
  /** The photo's status on each look after the upload (the last one repeats). */
  photoStatuses?: string[];
}

const IMAGES = "/api/v1/hosts/host_1/listings/listing_01/images";
const BUCKET = "https://bucket.example.test";
const CDN = "https://cdn.example.test";
const WEB = "https://app.example.test";
/** The first bytes of a WebP file: enough for the check, which reads the RIFF header. */
const WEBP = new Uint8Array([82, 73, 70, 70, 26, 0, 0, 0, 87, 69, 66, 80, 86, 80, 56, 32]);
const INDEX_HTML = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-abc123.js"></script>
<link rel="modulepreload" crossorigin href="/assets/react-def456.js">
<link rel="stylesheet" crossorigin href="/assets/index-789.css">
<link rel="preconnect" href="https://cdn.example.test">
</head><body><div id="root"></div></body></html>`;

function scriptedApi({ override, photoStatuses = ["PENDING_UPLOAD", "READY"] }: Scripted = {}) {
  const calls: string[] = [];
  let listing: Record<string, unknown> | undefined;
  let photo: Record<string, unknown> | undefined;
  let looks = 0;
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
    if (url.origin === WEB) {
      if (url.pathname === "/") {
        return new Response(INDEX_HTML, {
          headers: { "content-type": "text/html", "content-security-policy": "default-src 'self'" },
        });
      }
      return new Response("asset", { status: url.pathname.startsWith("/assets/") ? 200 : 404 });
    }
    if (url.origin === BUCKET) return new Response(null, { status: 204 });
    if (url.origin === CDN)
      return new Response(WEBP, { headers: { "content-type": "image/webp" } });
    if (url.pathname === IMAGES && method === "POST") {
      photo = { imageId: "img_01", status: "PENDING_UPLOAD" };
      return json(201, { image: photo, upload: { url: `${BUCKET}/`, fields: { key: "k" } } });
    }
    if (url.pathname === IMAGES) {
      const status = photoStatuses[Math.min(looks++, photoStatuses.length - 1)];
      const variants = [{ name: "md", url: `${CDN}/images/md.webp` }];
      return json(200, { items: photo ? [{ ...photo, status, variants }] : [] });
    }
    if (url.pathname === `${IMAGES}/img_01` && method === "DELETE") {
      photo = undefined;
      return json(204);
    }
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
    if (one && listing && method === "PATCH") {
      const { version, ...changes } = JSON.parse(String(init?.body)) as Record<string, unknown>;
      listing = { ...listing, ...changes, version: Number(version) + 1 };
      return json(200, listing);
    }
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
/** A clock that only the scripted sleeps move: polling takes no real time. */
function fakeTime() {
  let now = Date.parse("2026-12-02T12:00:00Z");
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}
const deps = { timeoutMs: 1000, city: "zurich", signIn: async () => "token", ...fakeTime() };

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
      "dashboard",
      "me",
      "create draft",
      "read back",
      "patch",
      "photo upload",
      "photo ready",
      "photo variant",
      "photo delete",
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
    const search = report.checks.find((c) => c.name === "search");
    expect(search).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/carries hostId/),
    });
  });
});

describe("the photo checks", () => {
  const statusOf = (report: SmokeReport) =>
    Object.fromEntries(report.checks.map((c) => [c.name, c.status]));

  it("uploads a JPEG, waits until it is READY, reads a WebP variant and deletes the photo", async () => {
    const api = scriptedApi({ photoStatuses: ["PENDING_UPLOAD", "PENDING_UPLOAD", "READY"] });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch, pollMs: 1000 });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      "health",
      "dashboard",
      "search",
      "sign in",
      "me",
      "create draft",
      "read back",
      "patch",
      "photo upload",
      "photo ready",
      "photo variant",
      "photo delete",
      "archive",
      "gone from list",
    ]);
    expect(report.checks.find((c) => c.name === "photo ready")?.detail).toBe("READY after 2000 ms");
    expect(report.checks.find((c) => c.name === "photo variant")?.detail).toBe(
      "md 16 bytes of WebP",
    );
    expect(api.calls).toEqual(
      expect.arrayContaining([`POST ${IMAGES}`, "POST /", `DELETE ${IMAGES}/img_01`]),
    );
    // The photo goes before its listing is archived.
    expect(api.calls.indexOf(`DELETE ${IMAGES}/img_01`)).toBeLessThan(
      api.calls.indexOf("DELETE /api/v1/hosts/host_1/listings/listing_01"),
    );
  });

  it("fails when the processor never finishes, and still deletes the photo and archives", async () => {
    const api = scriptedApi({ photoStatuses: ["PENDING_UPLOAD"] });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch, photoTimeoutMs: 90_000 });
    expect(statusOf(report)).toMatchObject({
      "photo upload": "pass",
      "photo ready": "fail",
      "photo variant": "skip",
      "photo delete": "pass",
      archive: "pass",
    });
    expect(report.checks.find((c) => c.name === "photo ready")?.detail).toMatch(
      /^still PENDING_UPLOAD after 90 s: is the processor running\?/,
    );
  });

  it("reports the processor's reason when it refuses the photo", async () => {
    const api = scriptedApi({ photoStatuses: ["FAILED"] });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    expect(report.checks.find((c) => c.name === "photo ready")).toMatchObject({
      status: "fail",
      detail: "the processor refused the test photo: undefined",
    });
    expect(statusOf(report)["photo delete"]).toBe("pass");
  });

  it("fails when the CDN serves something that is not WebP", async () => {
    const api = scriptedApi({
      override: (_, path) =>
        path === "/images/md.webp"
          ? new Response("<html>", { headers: { "content-type": "text/html" } })
          : undefined,
    });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    expect(report.checks.find((c) => c.name === "photo variant")?.detail).toBe(
      `GET ${CDN}/images/md.webp: text/html, not a WebP image`,
    );
  });

  it("names the photo it left behind when the delete fails", async () => {
    const api = scriptedApi({
      override: (method, path) =>
        method === "DELETE" && path === `${IMAGES}/img_01`
          ? new Response(null, { status: 500 })
          : undefined,
    });
    const report = await runSmoke(target, { ...deps, fetch: api.fetch });
    expect(report.checks.find((c) => c.name === "photo delete")?.detail).toMatch(
      /LEFT BEHIND: photo img_01; delete it with DELETE \/api\/v1\/hosts\/host_1\/listings\/listing_01\/images\/img_01\.$/,
    );
    expect(statusOf(report).archive).toBe("pass");
  });
});

describe("the dashboard check", () => {
  const withWeb: SmokeTarget = { ...target, web: { url: `${WEB}/`, csp: true } };
  const dashboardOf = (report: SmokeReport) => report.checks.find((c) => c.name === "dashboard");

  it("loads index.html and every same-origin script and stylesheet it references", async () => {
    const api = scriptedApi();
    const report = await runSmoke(withWeb, { ...deps, fetch: api.fetch });
    expect(dashboardOf(report)).toMatchObject({
      status: "pass",
      detail: "index.html and 3 assets, CSP sent",
    });
    expect(api.calls).toEqual(
      expect.arrayContaining([
        "GET /assets/index-abc123.js",
        "GET /assets/react-def456.js",
        "GET /assets/index-789.css",
      ]),
    );
  });

  it("fails on a missing asset, or on a missing CSP where the stage must send one", async () => {
    const missing = scriptedApi({
      override: (_, path) =>
        path === "/assets/react-def456.js" ? new Response("", { status: 403 }) : undefined,
    });
    const report = await runSmoke(withWeb, { ...deps, fetch: missing.fetch });
    expect(dashboardOf(report)?.detail).toBe("assets missing: /assets/react-def456.js 403");

    const noCsp = scriptedApi({
      override: (_, path) =>
        path === "/"
          ? new Response(INDEX_HTML, { headers: { "content-type": "text/html" } })
          : undefined,
    });
    const failed = await runSmoke(withWeb, { ...deps, fetch: noCsp.fetch });
    expect(dashboardOf(failed)?.detail).toBe(`GET ${WEB}/: no Content-Security-Policy header`);
    const devServer = await runSmoke(
      { ...withWeb, web: { url: `${WEB}/`, csp: false } },
      { ...deps, fetch: noCsp.fetch },
    );
    expect(dashboardOf(devServer)).toMatchObject({
      status: "pass",
      detail: "index.html and 3 assets, no CSP (dev server)",
    });
  });
});
