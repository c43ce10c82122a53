import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  DeleteTableCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../src/dynamo.js";
import { type ListingItem, listingEntity } from "../src/listing/entity.js";
import { Listing } from "../src/listing/index.js";
import { documentsOf } from "../src/migration/context.js";
import {
  isBookkeeping,
  type MigrationContext,
  Migrations,
  type RawItem,
} from "../src/migration/index.js";
import { legacyListingEntity } from "../src/migration/migrations/0001-legacy-listing.js";
import { listingStatusActiveToOnline as migration } from "../src/migration/migrations/0001-listing-status-active-to-online.js";
import { type LegacyPlan, legacyItems, putItems, snapshotTable } from "../src/migration/testing.js";
import { runtime } from "../src/runtime.js";
import { createTableInput } from "../src/table.js";

const client = dynamoClient();
const documents = documentsOf(client);
const tables: string[] = [];

afterAll(async () => {
  await Promise.all(tables.map((t) => client.send(new DeleteTableCommand({ TableName: t }))));
});

/** A table of its own, filled with the same legacy data as every other test's. */
async function legacyTable(
  plan: LegacyPlan = { active: 240, online: 30, other: 36 },
  name = `migration-${randomUUID()}`,
) {
  if (name !== runtime().config.TABLE_NAME) {
    await client.send(new CreateTableCommand(createTableInput(name)));
    tables.push(name);
  }
  const items = legacyItems(plan);
  await putItems(client, name, items);
  return { table: name, items };
}

function contextFor(table: string, extra: Partial<MigrationContext> = {}): MigrationContext {
  return {
    client,
    table,
    stage: "test",
    operator: Migrations.osOperator(),
    segments: 4,
    ...extra,
  };
}

const data = (items: RawItem[]) => items.filter((item) => !isBookkeeping(item));
const bookkeeping = (items: RawItem[]) => items.filter(isBookkeeping);

/** What the current listing entity writes for the legacy item once it is ONLINE. */
function expectedOnline(legacy: RawItem): RawItem {
  const { Item } = listingEntity()
    .put({
      ...(legacy as ListingItem),
      status: "ONLINE",
      version: (legacy.version as number) + 1,
    })
    .params();
  return Item as RawItem;
}

describe("migration 0001: listing status ACTIVE -> ONLINE", () => {
  it("dry run: says what it would change and writes nothing at all", async () => {
    const { table } = await legacyTable();
    const before = await snapshotTable(client, table);

    const report = await Migrations.dryRun(migration, contextFor(table));

    expect(report).toMatchObject({
      outcome: "dry-run",
      counts: { read: 306, matched: 240, changed: 240, unchanged: 0, skipped: 0 },
    });
    expect(report.samples).toHaveLength(5);
    expect(report.samples?.[0]?.before).toMatchObject({ status: "ACTIVE" });
    expect(report.samples?.[0]?.after).toMatchObject({ status: "ONLINE" });
    expect(Object.keys(report.samples?.[0]?.after ?? {}).sort()).toEqual(
      ["gsi2pk", "gsi4pk", "gsi4sk", "status", "version"].sort(),
    );
    expect(await snapshotTable(client, table)).toEqual(before);
  });

  it("applies: every ACTIVE listing is ONLINE with the keys ElectroDB builds, nothing else changes, and the services find them", async () => {
    // The file's own table: the core services read it.
    const { items } = await legacyTable(undefined, runtime().config.TABLE_NAME);
    const table = runtime().config.TABLE_NAME;
    const progress: number[] = [];
    const report = await Migrations.run(
      migration,
      contextFor(table, { progress: (e) => progress.push(e.counts.changed ?? 0) }),
    );

    expect(report).toMatchObject({
      outcome: "applied",
      resumed: false,
      counts: { matched: 240, changed: 240, skipped: 0 },
      totals: { matched: 240, changed: 240, skipped: 0, unchanged: 0 },
    });
    // Read: the 306 items, and the run's own records (state, audit) the scan came across.
    expect(report.counts.read).toBeGreaterThanOrEqual(306);
    expect(progress.at(-1)).toBe(240);
    const after = await snapshotTable(client, table);
    const expected = items
      .map((item) => (item.status === "ACTIVE" ? expectedOnline(item) : item))
      .sort((a, b) => `${a.pk}`.localeCompare(`${b.pk}`));
    expect(data(after)).toEqual(expected);

    // GSI2 (the status queue) has no ACTIVE listing left; GSI4 (search) has all of them.
    const active = legacyListingEntity().query.byStatus({ status: "ACTIVE" }).params();
    expect((await documents.send(new QueryCommand(active))).Count).toBe(0);
    const { data: online } = await listingEntity()
      .query.byStatus({ status: "ONLINE" })
      .go({ pages: "all" });
    expect(online).toHaveLength(270);
    const zurich = expected.filter((i) => i.status === "ONLINE" && i.cityKey === "zurich");
    const found = await Listing.search({ city: "Zürich", limit: 100 });
    expect(found.items.map((l) => l.listingId).sort()).toEqual(
      zurich.map((i) => i.listingId).sort(),
    );

    // The bookkeeping: state, 4 checkpoints, a journal per batch, one audit.
    const records = bookkeeping(after);
    expect(records.find((r) => r.sk === "state")).toMatchObject({
      status: "applied",
      totals: { changed: 240 },
      startedBy: { source: "os" },
    });
    expect(records.filter((r) => String(r.sk).startsWith("segment#"))).toHaveLength(4);
    const journals = records.filter((r) => String(r.sk).startsWith("journal#"));
    expect(journals.flatMap((j) => j.entries as unknown[])).toHaveLength(240);
    expect(records.filter((r) => String(r.sk).startsWith("audit#"))).toEqual([
      expect.objectContaining({
        action: "run",
        mode: "apply",
        outcome: "completed",
        stage: "test",
        by: expect.objectContaining({ source: "os" }),
        counts: expect.objectContaining({ matched: 240, changed: 240, skipped: 0 }),
      }),
    ]);

    // Verify: nothing left, and every ONLINE listing's keys are ElectroDB's.
    expect(await Migrations.verify(migration, contextFor(table))).toMatchObject({
      clean: true,
      remaining: { count: 0 },
      problems: { count: 0 },
    });
  });

  it("re-running an applied migration is a no-op: not one item written", async () => {
    const { table } = await legacyTable({ active: 60 });
    await Migrations.run(migration, contextFor(table));
    const applied = await snapshotTable(client, table);

    const again = await Migrations.run(migration, contextFor(table));
    const dry = await Migrations.dryRun(migration, contextFor(table));

    expect(again.outcome).toBe("already-applied");
    expect(dry.outcome).toBe("already-applied");
    expect(await snapshotTable(client, table)).toEqual(applied);
  });

  it("revert restores the original: ACTIVE again for exactly the migrated listings, not those ONLINE before", async () => {
    const { table } = await legacyTable();
    const original = await snapshotTable(client, table);
    await Migrations.run(migration, contextFor(table));

    const dry = await Migrations.revert(migration, contextFor(table), "dry-run");
    expect(dry.counts).toEqual({ journaled: 240, restored: 240, skipped: 0 });
    const reverted = await Migrations.revert(migration, contextFor(table), "apply");

    expect(reverted).toMatchObject({
      outcome: "reverted",
      totals: { journaled: 240, restored: 240, skipped: 0 },
    });
    expect(data(await snapshotTable(client, table))).toEqual(original);
    // Reverted, the migration can run again.
    const rerun = await Migrations.run(migration, contextFor(table));
    expect(rerun.counts.changed).toBe(240);
  });

  it("revert leaves alone a listing edited after the migration, and says so", async () => {
    const { table, items } = await legacyTable({ active: 40 });
    await Migrations.run(migration, contextFor(table));
    const edited = items[7] as RawItem;
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: edited.pk, sk: edited.sk },
        UpdateExpression: "SET listingName = :name, version = version + :one",
        ExpressionAttributeValues: { ":name": "Edited after the migration", ":one": 1 },
      }),
    );

    const reverted = await Migrations.revert(migration, contextFor(table), "apply");

    expect(reverted.totals).toEqual({ journaled: 40, restored: 39, skipped: 1 });
    expect(reverted.skippedKeys).toEqual([{ pk: edited.pk, sk: edited.sk }]);
    const after = data(await snapshotTable(client, table));
    expect(after.find((i) => i.pk === edited.pk)).toMatchObject({
      status: "ONLINE",
      listingName: "Edited after the migration",
    });
    expect(after.filter((i) => i.status === "ACTIVE")).toHaveLength(39);
  });

  it("live edits win: a write between the read and the write is kept, and the item migrated from what it became", async () => {
    const { table, items } = await legacyTable({ active: 400, online: 20 });
    const expectedNames = new Map<string, string>();
    const archived = new Set<string>();
    const edit = async (item: RawItem, changes: Record<string, unknown>) => {
      const names = Object.keys(changes);
      await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(", ")}, #v = #v + :one`,
          ExpressionAttributeNames: {
            "#v": "version",
            ...Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
          },
          ExpressionAttributeValues: {
            ":one": 1,
            ...Object.fromEntries(names.map((n, i) => [`:a${i}`, changes[n]])),
          },
        }),
      );
    };
    // Deterministic races: right before some batches are written, an "old app" instance
    // renames one of its items and archives another.
    let batches = 0;
    const beforeWrite: MigrationContext["beforeWrite"] = async (batch) => {
      const [first, second] = batch;
      if (++batches > 6 || !first || !second) return;
      const name = `Renamed while migrating ${batches}`;
      expectedNames.set(String(first.item.pk), name);
      await edit(first.item, { listingName: name });
      archived.add(String(second.item.pk));
      await edit(second.item, { status: "ARCHIVED" });
    };
    // And random ones all along.
    let running = true;
    const editor = (async () => {
      let n = 0;
      while (running) {
        const item = items[(n * 37) % items.length] as RawItem;
        const name = `Live edit ${n++}`;
        expectedNames.set(String(item.pk), name);
        await edit(item, { listingName: name });
      }
    })();

    const report = await Migrations.run(migration, contextFor(table, { beforeWrite })).finally(
      () => {
        running = false;
      },
    );
    await editor;

    expect(report.outcome).toBe("applied");
    expect(report.conflicts).toBeGreaterThanOrEqual(12);
    expect(report.counts.skipped).toBe(archived.size);
    const after = new Map(data(await snapshotTable(client, table)).map((i) => [String(i.pk), i]));
    for (const [pk, name] of expectedNames) expect(after.get(pk)?.listingName, pk).toBe(name);
    for (const pk of archived) expect(after.get(pk)?.status, pk).toBe("ARCHIVED");
    const statuses = [...after.values()].map((i) => i.status);
    expect(statuses.filter((s) => s === "ONLINE")).toHaveLength(420 - archived.size);
    expect(await Migrations.verify(migration, contextFor(table))).toMatchObject({ clean: true });
  });

  it("retries throttling and transaction conflicts with backoff", async () => {
    const { table } = await legacyTable({ active: 100 });
    const name = `throttle-${randomUUID()}`;
    let failures = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName;
        if (command === "TransactWriteItemsCommand" && failures < 6) {
          failures++;
          const error =
            failures % 2
              ? Object.assign(new Error("Rate exceeded"), {
                  name: "ThrottlingException",
                  $fault: "client",
                })
              : new TransactionCanceledException({
                  message: "Transaction cancelled",
                  $metadata: {},
                  CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }],
                });
          throw error;
        }
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      const report = await Migrations.run(migration, contextFor(table));
      expect(report).toMatchObject({ outcome: "applied", counts: { changed: 100 } });
      expect(report.retries).toBeGreaterThanOrEqual(6);
    } finally {
      client.middlewareStack.remove(name);
    }
  });

  it("an interrupted run resumes where it stopped and ends as an uninterrupted one", async () => {
    const [whole, interrupted] = await Promise.all([legacyTable(), legacyTable()]);
    await Migrations.run(migration, contextFor(whole.table));

    const stop = new AbortController();
    const first = await Migrations.run(
      migration,
      contextFor(interrupted.table, {
        // Two segments of two pages each: the stop comes in the middle of a page.
        segments: 2,
        signal: stop.signal,
        progress: (e) => {
          if ((e.counts.changed ?? 0) >= 25) stop.abort();
        },
      }),
    );
    expect(first.outcome).toBe("interrupted");
    expect(first.counts.changed).toBeGreaterThan(0);
    expect(first.counts.changed).toBeLessThan(240);
    const second = await Migrations.run(migration, contextFor(interrupted.table));
    expect(second).toMatchObject({ outcome: "applied", resumed: true });
    expect(first.counts.changed + second.counts.changed).toBe(240);
    const { read: _read, ...totals } = second.totals ?? {};
    const { read: _wholeRead, ...wholeTotals } =
      (await Migrations.run(migration, contextFor(whole.table))).totals ?? {};
    expect(totals).toEqual(wholeTotals);

    const [a, b] = await Promise.all([
      snapshotTable(client, whole.table),
      snapshotTable(client, interrupted.table),
    ]);
    expect(data(b)).toEqual(data(a));
    const audits = bookkeeping(b).filter((r) => String(r.sk).startsWith("audit#"));
    expect(audits.map((r) => [r.outcome, r.resumed])).toEqual([
      ["interrupted", false],
      ["completed", true],
    ]);
  });

  it("verify counts what is left (with a few keys) and finds index keys ElectroDB would not write", async () => {
    const { table, items } = await legacyTable({ active: 30, online: 5 });
    const before = await Migrations.verify(migration, contextFor(table));
    expect(before).toMatchObject({
      clean: false,
      remaining: { count: 30 },
      problems: { count: 0 },
    });
    expect(before.remaining.sample).toHaveLength(5);
    expect(before.remaining.sample[0]).toEqual({
      pk: expect.stringMatching(/^\$localstays#listingid_/),
      sk: "$listing_1",
    });

    await Migrations.run(migration, contextFor(table));
    const broken = items[3] as RawItem;
    await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: broken.pk, sk: broken.sk },
        UpdateExpression: "REMOVE gsi4pk, gsi4sk",
      }),
    );
    const after = await Migrations.verify(migration, contextFor(table));
    expect(after).toMatchObject({ clean: false, remaining: { count: 0 }, problems: { count: 1 } });
    expect(after.problems.sample).toEqual([
      {
        key: { pk: broken.pk, sk: broken.sk },
        problem: "index keys not as ElectroDB builds them: gsi4pk, gsi4sk",
      },
    ]);
  });

  it("two runs started at once never write an item twice, and a run after them finishes the job", async () => {
    const { table, items } = await legacyTable({ active: 200 });
    const results = await Promise.allSettled([
      Migrations.run(migration, contextFor(table)),
      Migrations.run(migration, contextFor(table)),
    ]);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(String(result.reason)).toMatch(/Another command changed migration/);
      }
    }
    await Migrations.run(migration, contextFor(table));

    const after = await snapshotTable(client, table);
    const journaled = bookkeeping(after)
      .filter((r) => String(r.sk).startsWith("journal#"))
      .flatMap((r) => r.entries as { key: { pk: string } }[]);
    expect(journaled).toHaveLength(200);
    expect(new Set(journaled.map((e) => e.key.pk)).size).toBe(200);
    const versions = new Map(items.map((i) => [i.pk, i.version as number]));
    for (const item of data(after)) expect(item.version).toBe((versions.get(item.pk) ?? 0) + 1);
    expect(await Migrations.verify(migration, contextFor(table))).toMatchObject({ clean: true });
  });
});
