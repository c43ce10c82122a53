import { dashboard } from "./dashboard.js";
import {
  type ApiClient,
  apiClient,
  CheckFailed,
  expectStatus,
  type Fetch,
  objectBody,
} from "./http.js";
import { PHOTO_CHECKS, type PhotoDeps, photoRoundTrip } from "./photo.js";
import { type CheckResult, Runner } from "./runner.js";
import { cognitoSignIn, type SignIn } from "./sign-in.js";
import type { SmokeTarget } from "./target.js";

/**
 * The smoke suite: health, public search, the dashboard and, with a test user, a host round
 * trip that leaves nothing behind (draft -> read -> patch -> a photo uploaded, processed,
 * served by the CDN and deleted -> archive -> gone from the active list). Checks run in
 * order; a check whose prerequisite failed is skipped, except the clean-up steps (photo
 * delete, archive), which run whenever their thing was created.
 */
export type { CheckResult, CheckStatus } from "./runner.js";

export interface SmokeReport {
  target: { apiUrl: string; source: string; stage?: string; user?: string; webUrl?: string };
  ok: boolean;
  ms: number;
  checks: CheckResult[];
  /** The round trip's listing, so a caller can check that nothing was left behind. */
  roundTrip?: { hostId: string; listingId: string; archived: boolean };
}

export interface SmokeDeps extends PhotoDeps {
  timeoutMs: number;
  city: string;
  fetch?: Fetch;
  signIn?: SignIn;
  now?: () => Date;
}

const ROUND_TRIP = [
  "sign in",
  "me",
  "create draft",
  "read back",
  "patch",
  ...PHOTO_CHECKS,
  "archive",
  "gone from list",
] as const;
type RoundTripCheck = (typeof ROUND_TRIP)[number];

async function health(api: ApiClient, expectedStage: string | undefined) {
  const response = await api.request("GET", "/api/v1/health");
  expectStatus(response, 200);
  const body = objectBody(response);
  if (body.status !== "ok") throw new CheckFailed(`health says status ${String(body.status)}`);
  if (expectedStage && body.stage !== expectedStage) {
    throw new CheckFailed(
      `the API at ${api.baseUrl} is stage ${String(body.stage)}, not ${expectedStage}: ` +
        "are the outputs from another deployment?",
    );
  }
  return { value: true, detail: `ok, stage ${String(body.stage)}` };
}

/** Public info only: a search result that names its host or version leaks private fields. */
const PRIVATE_FIELDS = ["hostId", "version", "review"];

async function search(api: ApiClient, city: string) {
  const path = `/api/v1/listings?city=${encodeURIComponent(city)}`;
  const response = await api.request("GET", path);
  expectStatus(response, 200);
  const items = objectBody(response).items;
  if (!Array.isArray(items)) throw new CheckFailed(`GET ${path}: no items array`);
  for (const item of items as Record<string, unknown>[]) {
    const leaked = PRIVATE_FIELDS.filter((field) => field in item);
    if (leaked.length) {
      throw new CheckFailed(`GET ${path}: a public result carries ${leaked.join(", ")}`);
    }
  }
  const noun = items.length === 1 ? "listing" : "listings";
  return { value: items.length, detail: `${items.length} ${noun} in ${city} (first page)` };
}

interface Draft {
  listingId: string;
  listingName: string;
  version: number;
}

function draftOf(body: Record<string, unknown>, what: string): Draft {
  const { listingId, listingName, version } = body;
  if (typeof listingId !== "string" || typeof version !== "number") {
    throw new CheckFailed(`${what}: the answer has no listingId and version`);
  }
  return { listingId, listingName: String(listingName), version };
}

async function hostRoundTrip(
  runner: Runner,
  api: ApiClient,
  target: Required<Pick<SmokeTarget, "user" | "cognito">>,
  deps: SmokeDeps,
): Promise<SmokeReport["roundTrip"]> {
  const after = (failed: RoundTripCheck) => ROUND_TRIP.slice(ROUND_TRIP.indexOf(failed) + 1);
  const signIn = deps.signIn ?? cognitoSignIn;
  const token = await runner.run("sign in", async () => ({
    value: await signIn(target.cognito, target.user),
    detail: target.user.username,
  }));
  if (!token) {
    runner.skip(after("sign in"), "sign in failed");
    return undefined;
  }

  const hostId = await runner.run("me", async () => {
    const response = await api.request("GET", "/api/v1/me", { token });
    if (response.status === 404) {
      throw new CheckFailed(
        `${target.user.username} has no host profile: create the smoke user by signing up (the PostConfirmation trigger registers the host).`,
      );
    }
    expectStatus(response, 200);
    const id = objectBody(response).hostId;
    if (typeof id !== "string") throw new CheckFailed("GET /api/v1/me: no hostId");
    return { value: id, detail: id };
  });
  if (!hostId) {
    runner.skip(after("me"), "me failed");
    return undefined;
  }

  const listings = `/api/v1/hosts/${encodeURIComponent(hostId)}/listings`;
  // A recognisable name, should an archive ever fail: the listing is findable and clearly ours.
  const name = `Smoke test ${(deps.now?.() ?? new Date()).toISOString()}`;
  const created = await runner.run("create draft", async () => {
    const response = await api.request("POST", listings, { token, body: { listingName: name } });
    expectStatus(response, 201);
    const body = objectBody(response);
    if (body.status !== "DRAFT") {
      throw new CheckFailed(`a new listing is ${String(body.status)}, not DRAFT`);
    }
    const draft = draftOf(body, `POST ${listings}`);
    return { value: draft, detail: draft.listingId };
  });
  if (!created) {
    runner.skip(after("create draft"), "create draft failed");
    return undefined;
  }

  const one = `${listings}/${encodeURIComponent(created.listingId)}`;
  const read = await runner.run("read back", async () => {
    const response = await api.request("GET", one, { token });
    expectStatus(response, 200);
    const draft = draftOf(objectBody(response), `GET ${one}`);
    if (draft.listingName !== name) {
      throw new CheckFailed(`GET ${one}: listingName is "${draft.listingName}", not "${name}"`);
    }
    return { value: draft, detail: `version ${draft.version}` };
  });
  if (read) {
    await runner.run("patch", async () => {
      const patched = `${name} (patched)`;
      const response = await api.request("PATCH", one, {
        token,
        body: { version: read.version, listingName: patched },
      });
      expectStatus(response, 200);
      const draft = draftOf(objectBody(response), `PATCH ${one}`);
      if (draft.listingName !== patched || draft.version !== read.version + 1) {
        throw new CheckFailed(
          `PATCH ${one}: got "${draft.listingName}" version ${draft.version}, expected "${patched}" version ${read.version + 1}`,
        );
      }
      return { value: draft, detail: `version ${draft.version}` };
    });
  } else {
    runner.skip(["patch"], "read back failed");
  }

  // The photo's own clean-up runs inside; the listing's archive runs whatever happened here.
  await photoRoundTrip(runner, api, { token, listing: `${one}/images` }, deps);

  // Runs whatever happened since the draft was created: the smoke suite leaves nothing active.
  const archived = await runner.run("archive", async () => {
    try {
      expectStatus(await api.request("DELETE", one, { token }), 204);
      const check = await api.request("GET", one, { token });
      expectStatus(check, 200);
      const status = objectBody(check).status;
      if (status !== "ARCHIVED") throw new CheckFailed(`after DELETE the listing is ${status}`);
    } catch (error) {
      const why = error instanceof CheckFailed ? error.message : String(error);
      throw new CheckFailed(
        `${why}. LEFT BEHIND: listing ${created.listingId} of host ${hostId}; archive it with DELETE ${one}.`,
      );
    }
    return { value: true, detail: "ARCHIVED" };
  });
  if (!archived) {
    runner.skip(["gone from list"], "archive failed");
    return { hostId, listingId: created.listingId, archived: false };
  }

  await runner.run("gone from list", () => assertNotListed(api, listings, token, created));
  return { hostId, listingId: created.listingId, archived: true };
}

/**
 * The host's default list leaves ARCHIVED out. It is ordered by listing id, newest first, so
 * paging stops at the first older listing: ours cannot come after it.
 */
async function assertNotListed(api: ApiClient, listings: string, token: string, draft: Draft) {
  let cursor: string | undefined;
  let seen = 0;
  for (let page = 0; page < 50; page++) {
    const path = `${listings}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await api.request("GET", path, { token });
    expectStatus(response, 200);
    const body = objectBody(response);
    const items = (Array.isArray(body.items) ? body.items : []) as { listingId?: string }[];
    seen += items.length;
    if (items.some((item) => item.listingId === draft.listingId)) {
      throw new CheckFailed(`${draft.listingId} is still in the host's active list`);
    }
    const next = typeof body.nextCursor === "string" ? body.nextCursor : undefined;
    if (!next || items.some((item) => (item.listingId ?? "") < draft.listingId)) {
      return { value: true, detail: `not among ${seen} active listings read` };
    }
    cursor = next;
  }
  throw new CheckFailed(`gave up after 50 pages without reaching ${draft.listingId}'s position`);
}

export async function runSmoke(target: SmokeTarget, deps: SmokeDeps): Promise<SmokeReport> {
  const started = performance.now();
  const api = apiClient(target.apiUrl, { timeoutMs: deps.timeoutMs, fetch: deps.fetch });
  const runner = new Runner();
  const { user, cognito } = target;
  const hostChecks = user && cognito ? ROUND_TRIP : [];
  let roundTrip: SmokeReport["roundTrip"];

  const healthy = await runner.run("health", () => health(api, target.expectedStage));
  // The dashboard is served apart from the API: it is checked whatever the API does.
  const { web } = target;
  if (web) {
    await runner.run("dashboard", () =>
      dashboard(web, { timeoutMs: deps.timeoutMs, fetch: deps.fetch }),
    );
  } else {
    runner.skip(["dashboard"], "no dashboard URL (--web-url, or the stage's WebUrl output)");
  }
  if (!healthy) {
    // Every other check would fail the same way against an API that is not there.
    runner.skip(["search", ...hostChecks], "health failed");
  } else {
    await runner.run("search", () => search(api, deps.city));
    if (user && cognito) roundTrip = await hostRoundTrip(runner, api, { user, cognito }, deps);
    else
      runner.skip(
        ["host round trip"],
        "no test user (localstays smoke-user, --username/--password or SMOKE_*)",
      );
  }
  return {
    target: {
      apiUrl: api.baseUrl,
      source: target.source,
      stage: target.expectedStage,
      user: user?.username,
      webUrl: web?.url,
    },
    ok: runner.results.every((check) => check.status !== "fail"),
    ms: Math.round(performance.now() - started),
    checks: runner.results,
    roundTrip,
  };
}
