import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { dynamoClient } from "@localstays/core/dynamo";
import { isBookkeeping, type RawItem } from "@localstays/core/migration/index";
import {
  createTable,
  deleteTable,
  legacyItems,
  migrationRecords,
  putItems,
  snapshotTable,
} from "@localstays/core/migration/testing";
import { runtime } from "@localstays/core/runtime";
import { repoRoot } from "@localstays/local/paths";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./run-cli.js";

const client = dynamoClient();
const dir = mkdtempSync(join(tmpdir(), "localstays-migrate-cli-"));
const tables: string[] = [];
const ID = "0001-listing-status-active-to-online";
// Enough that a run takes a few seconds here: the kill lands in the middle of it.
const PLAN = { active: 800, online: 40, other: 60 };
/** Items the killed run has changed when the kill comes: well before the end. */
const KILL_AFTER = 150;

afterAll(async () => {
  await Promise.all(tables.map((t) => deleteTable(client, t)));
  rmSync(dir, { recursive: true, force: true });
});

/** A table of legacy listings and the outputs.json that points `--stage local` at it. */
async function stageWithLegacyData(plan = PLAN) {
  const table = `migrate-cli-${randomUUID()}`;
  await createTable(client, table);
  tables.push(table);
  await putItems(client, table, legacyItems(plan));
  const outputs = join(dir, `${table}.json`);
  writeFileSync(
    outputs,
    JSON.stringify({
      TableName: table,
      Region: runtime().config.AWS_REGION,
      DynamoDbEndpoint: runtime().config.DYNAMODB_ENDPOINT,
    }),
  );
  return { table, outputs, stage: ["--stage", "local", "--outputs", outputs] };
}

const data = (items: RawItem[]) => items.filter((i) => !isBookkeeping(i));
const records = (items: RawItem[], prefix: string) =>
  items.filter((i) => isBookkeeping(i) && String(i.sk).startsWith(prefix));
const journaledKeys = (items: RawItem[]) =>
  records(items, "journal#")
    .flatMap((j) => (j.entries as { key: { pk: string } }[]).map((e) => e.key.pk))
    .sort();

/** The CLI in a process of its own (no tsx wrapper process), so a SIGKILL hits the run itself. */
function startCli(...args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/cli/src/main.ts", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, stderr: () => stderr };
}

describe("localstays migrate", () => {
  it("lists the migrations; --help says what writes by default; --dry-run and --apply exclude each other", async () => {
    const [list, help, both] = await Promise.all([
      cli("migrate", "list"),
      cli("migrate", "run", "--help"),
      cli("migrate", "run", "--stage", "local", "--dry-run", "--apply"),
    ]);
    expect(list.stdout).toMatch(
      new RegExp(`^${ID}  reversible  Listings with the legacy status ACTIVE`),
    );
    // Commander wraps the options' help to the terminal's width.
    expect(help.stdout).toMatch(
      /--dry-run\s+write nothing, report what would change \(the default on\s+every stage but local\)/,
    );
    expect(help.stdout).toMatch(/On every other stage they are dry runs that write nothing/);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/option '--dry-run' cannot be used with option '--apply'/);
  });

  it("a dry run writes nothing: every item of the table is the same after it", async () => {
    const { table, stage } = await stageWithLegacyData({ active: 200, online: 10, other: 12 });
    const before = await snapshotTable(client, table);

    const dry = await cli("migrate", "run", ...stage, "--dry-run", "--json");

    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain("Mode: dry run, nothing is written");
    const [report] = JSON.parse(dry.stdout);
    expect(report).toMatchObject({
      migrationId: ID,
      outcome: "dry-run",
      counts: { read: 222, matched: 200, changed: 200 },
    });
    expect(await snapshotTable(client, table)).toEqual(before);
  });

  it("a run killed mid-way (SIGKILL), run again, ends identical to an uninterrupted run", {
    timeout: 180_000,
  }, async () => {
    const [whole, killed] = await Promise.all([stageWithLegacyData(), stageWithLegacyData()]);
    const uninterrupted = await cli("migrate", "run", ...whole.stage, "--segments", "2");
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const run = startCli("migrate", "run", ...killed.stage, "--segments", "2");
    let changedAtKill = 0;
    for (;;) {
      const segments = await migrationRecords(client, killed.table, ID, "segment#");
      changedAtKill = segments.reduce((sum, s) => sum + Number(s.changed), 0);
      if (changedAtKill >= KILL_AFTER) break;
      expect(run.child.exitCode, run.stderr()).toBeNull();
      await sleep(100);
    }
    run.child.kill("SIGKILL");
    expect(await run.exited).toBe("SIGKILL");
    const atKill = await snapshotTable(client, killed.table);
    expect(records(atKill, "state")[0]).toMatchObject({ status: "running" });
    expect(data(atKill).filter((i) => i.status === "ACTIVE").length).toBeGreaterThan(0);

    const resumed = await cli("migrate", "run", ...killed.stage, "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    const [report] = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ outcome: "applied", resumed: true });
    expect(report.counts.changed).toBe(PLAN.active - journaledKeys(atKill).length);

    const [a, b] = await Promise.all([
      snapshotTable(client, whole.table),
      snapshotTable(client, killed.table),
    ]);
    expect(data(b)).toEqual(data(a));
    expect(journaledKeys(b)).toEqual(journaledKeys(a));
    const totals = (items: RawItem[]) => {
      const state = records(items, "state")[0] as { totals: Record<string, number> };
      const { read: _read, ...rest } = state.totals;
      return rest;
    };
    expect(totals(b)).toEqual(totals(a));
    expect(totals(b)).toMatchObject({
      matched: PLAN.active,
      changed: PLAN.active,
      skipped: 0,
    });
    // The killed invocation's audit says it started and never finished.
    expect(records(b, "audit#").map((r) => [r.outcome, r.resumed])).toEqual([
      ["started", false],
      ["completed", true],
    ]);
  });

  it("status, verify, re-run (a no-op) and revert (the original table again)", {
    timeout: 120_000,
  }, async () => {
    const { table, stage } = await stageWithLegacyData({ active: 150, online: 20, other: 12 });
    const original = await snapshotTable(client, table);

    const pending = await cli("migrate", "verify", ...stage);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(
      /NOT clean[\s\S]*left to migrate: 150\n {4}\{"pk":"\$localstays#listingid_/,
    );

    const applied = await cli("migrate", "run", ...stage, "--id", "0001");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain("Mode: apply.");
    expect(applied.stdout).toMatch(
      /applied \(run run_\w+\)\n {2}read \d+, matched 150, changed 150, skipped 0/,
    );

    const [verify, status] = await Promise.all([
      cli("migrate", "verify", ...stage),
      cli("migrate", "status", ...stage),
    ]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${ID}: clean`);
    expect(status.stdout).toMatch(
      new RegExp(`${ID}  applied  \\S+, changed 150\\n  last: run completed \\S+ by \\S+@\\S+`),
    );

    const applied1 = await snapshotTable(client, table);
    const again = await cli("migrate", "run", ...stage);
    expect(again.stdout).toContain(`${ID}: already-applied`);
    expect(await snapshotTable(client, table)).toEqual(applied1);

    const reverted = await cli("migrate", "revert", ...stage, "--id", ID);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(reverted.stdout).toContain("whole revert: journaled 150, restored 150, skipped 0");
    expect(data(await snapshotTable(client, table))).toEqual(data(original));
    const after = await cli("migrate", "status", ...stage, "--json");
    expect(JSON.parse(after.stdout)).toMatchObject([
      {
        migrationId: ID,
        status: "reverted",
        lastAudit: { action: "revert", outcome: "completed" },
      },
    ]);
  });
});
