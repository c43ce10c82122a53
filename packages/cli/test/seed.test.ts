import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@localstays/local/ports";
import type { LocalStack } from "@localstays/local/stack";
import { startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSummary, seedStage } from "../src/commands/seed.js";
import { issueToken } from "../src/commands/token.js";
import { CliError } from "../src/errors.js";
import { cli } from "./run-cli.js";

let stack: LocalStack;
const dir = mkdtempSync(join(tmpdir(), "localstays-seed-cli-"));

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function outputsWith(name: string, changes: Record<string, string>) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ ...stack.outputs, ...changes }));
  return file;
}

async function api<T>(path: string, token?: string): Promise<T> {
  const response = await fetch(`${stack.outputs.ApiUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe("localstays seed", () => {
  it("refuses prod, by stage name or by table name, before touching anything", async () => {
    const [command, stopped] = await Promise.all([
      cli("seed", "--stage", "prod"),
      // Even with nothing listening: the refusal comes first.
      cli(
        "seed",
        "--stage",
        "local",
        "--outputs",
        outputsWith("prod.json", { TableName: "localstays-prod" }),
      ),
    ]);
    expect(command.code).toBe(1);
    expect(command.stdout).toBe("");
    expect(command.stderr).toMatch(/Refusing to seed stage "prod": prod data is never faked/);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("Refusing to seed table localstays-prod");
    for (const stage of ["PROD", " prod", "production"]) {
      await expect(seedStage({ stage }), stage).rejects.toThrow(CliError);
    }
  });

  // Twenty listings, their photos through the stack's processor, on a shared two-core machine.
  it("seeds the local stack through the API's own data, the demo host included", {
    timeout: 120_000,
  }, async () => {
    const log: string[] = [];
    const result = await seedStage(
      { stage: "local", outputs: stack.outputsFile, hosts: 3, listingsPerHost: 4, seed: 11 },
      (line) => log.push(line),
    );
    expect(log.join("\n")).toMatch(/Seeding table .* \(local, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(result.listings).toHaveLength(3 * 4 + 8);
    expect(Object.values(result.byStatus).reduce((a, b) => a + b)).toBe(20);
    expect(formatSummary(result)).toMatch(/^DRAFT\s+\d+\n(.|\n)*total\s+20\n$/);

    const online = result.listings.filter((l) => l.status === "ONLINE");
    expect(online.length).toBeGreaterThan(0);
    for (const { city, listingId } of online) {
      const page = await api<{ items: { listingId: string }[] }>(
        `/api/v1/listings?city=${encodeURIComponent(city.toLowerCase())}`,
      );
      expect(page.items.map((i) => i.listingId)).toContain(listingId);
    }

    // The demo host signs in and finds a listing in every status on its dashboard.
    const token = await issueToken({ email: "host@localstays.dev", outputs: stack.outputsFile });
    const me = await api<{ hostId: string }>("/api/v1/me", token);
    const mine = await api<{ items: { status: string }[] }>(
      `/api/v1/hosts/${me.hostId}/listings?limit=100`,
      token,
    );
    expect(new Set(mine.items.map((i) => i.status))).toEqual(
      new Set(["ONLINE", "OFFLINE", "APPROVED", "IN_REVIEW", "REJECTED", "DRAFT"]),
    );
  });

  // Two CLI processes in a row, the second waiting for the stack's processor: a loaded
  // two-core machine needs more than the default half minute.
  it("prints counts per status on stdout; the same seed again adds nothing", {
    timeout: 120_000,
  }, async () => {
    const outputs = stack.outputsFile;
    const same = await cli(
      "seed",
      "--stage",
      "local",
      "--outputs",
      outputs,
      "--hosts",
      "3",
      "--listings-per-host",
      "4",
      "--seed",
      "11",
    );
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/total\s+0\n$/);
    expect(same.stderr).toContain("4 hosts had all their listings of seed 11 already");

    const other = await cli(
      "seed",
      "--stage",
      "local",
      "--outputs",
      outputs,
      "--hosts",
      "1",
      "--listings-per-host",
      "2",
      "--seed",
      "12",
      "--json",
    );
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ seed: 12, hosts: 1, listings: 2 });
  });

  it("explains what is wrong: a stopped stack, a bad count, an unknown host", async () => {
    const port = await freePort();
    const [stopped, badCount] = await Promise.all([
      cli(
        "seed",
        "--stage",
        "local",
        "--outputs",
        outputsWith("stopped.json", { DynamoDbEndpoint: `http://127.0.0.1:${port}` }),
      ),
      cli("seed", "--stage", "local", "--hosts", "-2"),
    ]);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/not running.*pnpm start/);
    expect(badCount.code).toBe(1);
    expect(badCount.stderr).toContain("--hosts must be a whole number");
    await expect(
      seedStage(
        {
          stage: "local",
          outputs: stack.outputsFile,
          hosts: 0,
          intoHost: ["host_01J00000000000000000000000"],
        },
        () => {},
      ),
    ).rejects.toThrow(/Host host_01J0+ was not found/);
  });
});
