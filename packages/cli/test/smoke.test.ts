import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@localstays/local/ports";
import { signIn } from "@localstays/local/sign-in";
import type { LocalStack } from "@localstays/local/stack";
import { startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { runSmoke, type SmokeReport } from "../src/smoke/checks.js";
import { formatReport } from "../src/smoke/report.js";
import { resolveSmokeTarget } from "../src/smoke/target.js";
import { FileSmokeUserStore } from "../src/smoke-user/store.js";
import { cli } from "./run-cli.js";

let stack: LocalStack;
let hostToken: string;
let dir: string;

beforeAll(async () => {
  // Seeded, so search has ONLINE results to inspect and the demo host has listings in every
  // status that the round trip must leave untouched.
  // The production build of the dashboard, as a stage serves it: the smoke test checks its CSP.
  stack = await startTestStack({ seed: { hosts: 2, listingsPerHost: 4 }, web: "build" });
  const host = stack.outputs.DemoUsers.find((u) => !u.groups.includes("admins"));
  if (!host) throw new Error("no demo host");
  hostToken = (await signIn(stack.outputs, host.email, host.password)).AccessToken;
  dir = mkdtempSync(join(tmpdir(), "localstays-smoke-"));
  // Building the dashboard and drawing the seed's photos take a while on a busy 2-core runner.
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api(path: string) {
  const response = await fetch(`${stack.outputs.ApiUrl}${path}`, {
    headers: { authorization: `Bearer ${hostToken}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every listing id of the host's default (non-archived) list. */
async function activeListings(hostId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const { body } = await api(`/api/v1/hosts/${hostId}/listings${query}`);
    ids.push(...(body.items as { listingId: string }[]).map((item) => item.listingId));
    cursor = body.nextCursor as string | null;
  } while (cursor);
  return ids;
}

describe("pnpm smoke", () => {
  it("passes against the local stack as the demo host, with a photo and the dashboard, and leaves nothing behind", async () => {
    const me = await api("/api/v1/me");
    const hostId = me.body.hostId as string;
    const before = await activeListings(hostId);
    expect(before.length).toBeGreaterThan(0);
    const city = stack.seeded?.listings.find((l) => l.status === "ONLINE")?.city ?? "zurich";

    const run = await cli(
      "smoke",
      "--local",
      "--outputs",
      stack.outputsFile,
      "--city",
      city,
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as SmokeReport;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual(
      [
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
      ].map((name) => [name, "pass"]),
    );
    const detail = (name: string) => report.checks.find((c) => c.name === name)?.detail;
    expect(detail("dashboard")).toMatch(/^index\.html and [1-9]\d* assets, CSP sent$/);
    // Processed by the stack's own upload events, as the deployed processor would.
    expect(detail("photo ready")).toMatch(/^READY after \d+ ms$/);
    expect(detail("photo variant")).toMatch(/^sm \d+ bytes of WebP$/);
    expect(report.checks.find((c) => c.name === "search")?.detail).toMatch(
      /^[1-9]\d* listings? in .* \(first page\)$/,
    );
    expect(report.target).toMatchObject({ source: "local stack", user: "host@localstays.dev" });

    // Nothing left behind: the round trip's listing is ARCHIVED, the active list is as before.
    const roundTrip = report.roundTrip;
    expect(roundTrip).toMatchObject({ hostId, archived: true });
    const listing = await api(`/api/v1/hosts/${hostId}/listings/${roundTrip?.listingId}`);
    expect(listing.body).toMatchObject({
      status: "ARCHIVED",
      listingName: /^Smoke test .* \(patched\)$/,
    });
    expect(await activeListings(hostId)).toEqual(before);
    const photos = await api(`/api/v1/hosts/${hostId}/listings/${roundTrip?.listingId}/images`);
    expect(photos.body.items).toEqual([]);

    const text = formatReport(report);
    expect(text.split("\n")[0]).toBe(
      `smoke ${stack.outputs.ApiUrl} (local stack, as host@localstays.dev)`,
    );
    expect(text).toMatch(/^PASS {2}gone from list +\d+ ms {2}not among \d+ active listings read$/m);
    expect(text).toMatch(/^14 checks passed in \d+ ms$/m);
  });

  it("fails with exit 1 and the reason when nothing answers at the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await cli("smoke", "--url", url);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}health .*connection refused/m);
    expect(run.stdout).toMatch(/^SKIP {2}search +health failed$/m);
    expect(run.stderr).toBe(
      `localstays: smoke failed: health: GET ${url}/api/v1/health: connection refused (nothing listens there)\n`,
    );
  });

  it("reads a stage's API and app client from SST's outputs, and catches another stage's", async () => {
    // The shape `sst deploy` writes: outputs by CloudFormation stack name (stacks/stage.ts).
    const file = join(dir, "outputs.json");
    const { ApiUrl } = stack.outputs;
    // Cognito's pool ids start with their region (cognito-local's do not).
    const UserPoolId = "eu-central-1_AbCdEf123";
    const UserPoolClientId = "1example23456789";
    writeFileSync(
      file,
      JSON.stringify({
        LocalstaysLocalApiStack: { ApiUrl },
        LocalstaysLocalAuthStack: { UserPoolId, UserPoolClientId },
        LocalstaysDev1ApiStack: { ApiUrl },
      }),
    );
    // No smoke user stored for these stages (their SSM parameter, here a file that is not there).
    const lookup = {
      smokeUserStore: () => new FileSmokeUserStore(join(dir, "no-smoke-user.json")),
    };
    const target = await resolveSmokeTarget({ stage: "local", outputs: file }, {}, lookup);
    expect(target).toMatchObject({ apiUrl: ApiUrl, expectedStage: "local", source: "stage local" });
    const report = await runSmoke(target, { timeoutMs: 5000, city: "zurich" });
    expect(report.ok).toBe(true);
    expect(report.checks.at(-1)).toMatchObject({ name: "host round trip", status: "skip" });

    const withUser = await resolveSmokeTarget(
      { stage: "local", outputs: file },
      { SMOKE_USERNAME: "smoke@example.com", SMOKE_PASSWORD: "Smoke-pass-123" },
    );
    expect(withUser.cognito).toEqual({ clientId: UserPoolClientId, region: "eu-central-1" });
    expect(withUser.user).toEqual({ username: "smoke@example.com", password: "Smoke-pass-123" });

    // A deployed stage's SMOKE_* in the shell mean nothing to the local stack's cognito-local.
    const local = await resolveSmokeTarget(
      { local: true, outputs: stack.outputsFile },
      { SMOKE_USERNAME: "smoke@example.com", SMOKE_PASSWORD: "Smoke-pass-123" },
    );
    expect(local.user?.username).toBe("host@localstays.dev");

    // The file describes another deployment than the one asked for: health says so.
    const dev1 = await resolveSmokeTarget({ stage: "dev1", outputs: file }, {}, lookup);
    const wrong = await runSmoke(dev1, {
      timeoutMs: 5000,
      city: "zurich",
    });
    expect(wrong.checks[0]).toMatchObject({ name: "health", status: "fail" });
    expect(wrong.checks[0]?.detail).toMatch(/is stage local, not dev1/);

    await expect(resolveSmokeTarget({ stage: "staging", outputs: file }, {})).rejects.toThrow(
      /no ApiUrl of LocalstaysStagingApiStack.*Deploy stage staging/,
    );
    await expect(
      resolveSmokeTarget({ stage: "local", outputs: file, requireUser: true }, {}, lookup),
    ).rejects.toThrow(CliError);
    await expect(
      resolveSmokeTarget({ url: ApiUrl, username: "smoke@example.com", password: "x" }, {}),
    ).rejects.toThrow(/needs --client-id and --region/);
  });
});
