import { dynamoClient } from "@localstays/core/dynamo";
import { deleteTable } from "@localstays/core/migration/testing";
import { readOutputs } from "@localstays/local/outputs";
import { signIn } from "@localstays/local/sign-in";
import type { LocalStack } from "@localstays/local/stack";
import { readTableSetting } from "@localstays/local/table-setting";
import { startTestStack } from "@localstays/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restore } from "../src/commands/restore.js";
import { CliError } from "../src/errors.js";
import { countItems } from "../src/restore/verify.js";

/**
 * The DR rehearsal on the local stack (issue 17): restore --to latest (a copy through a scan:
 * DynamoDB Local has no PITR), verify, cut over, and the running API serves the same data
 * from the restored table.
 */
let stack: LocalStack;
const client = dynamoClient();
const created: string[] = [];
const lines: string[] = [];
const io = { log: (line: string) => lines.push(line), switchTimeoutMs: 10_000 };

beforeAll(async () => {
  stack = await startTestStack({ seed: { hosts: 2, listingsPerHost: 3, seed: 17 } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await Promise.all(created.map((table) => deleteTable(client, table)));
});

async function get(path: string, token?: string): Promise<unknown> {
  const response = await fetch(`${stack.outputs.ApiUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.status, path).toBe(200);
  return response.json();
}

/** What the API serves: public search and detail, and the demo host's own listings. */
async function served(token: string, hostId: string) {
  const online = stack.seeded?.listings.find((listing) => listing.status === "ONLINE");
  if (!online) throw new Error("the seed made no ONLINE listing");
  return {
    search: await get(`/api/v1/listings?city=${encodeURIComponent(online.city)}`),
    detail: await get(`/api/v1/listings/${online.listingId}`),
    own: await get(`/api/v1/hosts/${hostId}/listings`, token),
  };
}

describe("localstays restore --stage local", () => {
  it("refuses a point in time (DynamoDB Local has no PITR) and a cut-over to a missing table", async () => {
    const outputs = stack.outputsFile;
    await expect(
      restore({ stage: "local", outputs, to: "2026-12-01T10:00:00Z" }, io),
    ).rejects.toThrow(/no point-in-time recovery.*--to latest only/);
    await expect(
      restore({ stage: "local", outputs, cutoverTo: "localstays-local-restore-none" }, io),
    ).rejects.toThrow(CliError);
    expect(readTableSetting(stack.dataDir)).toBeUndefined();
  });

  it("copies, verifies and cuts the running stack over: the API serves the same listings from the restored table", async () => {
    const demo = stack.outputs.DemoUsers[0];
    if (!demo) throw new Error("no demo user");
    const { AccessToken: token } = await signIn(stack.outputs, demo.email, demo.password);
    const { hostId } = (await get("/api/v1/me", token)) as { hostId: string };
    const original = stack.outputs.TableName;
    const before = await served(token, hostId);

    const result = await restore(
      { stage: "local", outputs: stack.outputsFile, to: "latest", cutover: true },
      io,
    );
    created.push(result.table);
    expect(result).toMatchObject({ dryRun: false, cutOver: true });
    expect(result.table).toMatch(/^localstays-local-restore-\d{8}t\d{6}z$/);
    expect(lines.join("\n")).toContain("DynamoDB Local has no point-in-time recovery");
    expect(lines.join("\n")).toContain("The running local stack now serves");

    // The stack switched: its outputs, its runtime, and the setting a restart reads.
    expect(readOutputs(stack.outputsFile).TableName).toBe(result.table);
    expect(stack.outputs.TableName).toBe(result.table);
    expect(stack.runtime.config.TABLE_NAME).toBe(result.table);
    expect(readTableSetting(stack.dataDir)).toMatchObject({
      table: result.table,
      previous: original,
    });

    // Same items per entity type (migration bookkeeping included) in both tables.
    const [old, restored] = await Promise.all([
      countItems(client, original),
      countItems(client, result.table),
    ]);
    expect(restored.counts).toEqual(old.counts);
    expect(restored.counts.listing).toBe(stack.seeded?.listings.length);

    expect(await served(token, hostId)).toEqual(before);

    // The API writes into the restored table now; the old one is kept as it was.
    const response = await fetch(`${stack.outputs.ApiUrl}/api/v1/hosts/${hostId}/listings`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ listingName: "Written after the cut-over" }),
    });
    expect(response.status).toBe(201);
    const [oldAfter, restoredAfter] = await Promise.all([
      countItems(client, original),
      countItems(client, result.table),
    ]);
    expect(oldAfter.counts).toEqual(old.counts);
    expect(restoredAfter.counts.listing).toBe((restored.counts.listing ?? 0) + 1);
  }, 120_000);
});
