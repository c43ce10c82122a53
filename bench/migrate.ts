/**
 * `pnpm bench:migrate [--items 50000] [--segments 8] [--json]`
 *
 * Migration 0001 (listing status ACTIVE -> ONLINE) on `--items` legacy ACTIVE listings, two
 * ways, on the same DynamoDB Local in the same run:
 *
 *   runner      `Migrations.run`: parallel scan segments, conditional transactions of 25
 *               items with the batch's journal and the segment's checkpoint, audit records
 *   sequential  the straightforward script: scan, then one conditional UpdateItem per
 *               item, each awaited before the next (bench/migrate/sequential.ts)
 *
 * Each side gets a table of its own, both filled with the same items (written raw, as the
 * legacy app wrote them) before either runs, so DynamoDB Local's JIT is warm for both. Both
 * write the same changes (the same `up`: status, version, ElectroDB's GSI2/GSI4 keys); the
 * bench checks that the two tables end identical, item for item, before it reports.
 *
 * Items/s = items changed ÷ wall time of the migration (the fill is not timed). The CPU
 * columns say where the time goes: this process (SDK, ElectroDB, the runner) and DynamoDB
 * Local (Java), per item changed. DynamoDB Local runs on the same CPUs as the bench (and, on a
 * shared machine, as everything else): compare within a run, not across machines.
 */
import { isDeepStrictEqual } from "node:util";
import { configure } from "../packages/core/src/runtime.js";
import { benchArgs, runBench } from "./lib/args.js";
import { fixed } from "./lib/format.js";
import { log } from "./lib/log.js";
import { loadCore } from "./migrate/core.js";
import { type BenchDynamoDb, withDynamoDbLocal } from "./migrate/dynamodb.js";
import { type MigrateBenchResult, migrateReport, type SideResult } from "./migrate/report.js";
import { sequentialMigration } from "./migrate/sequential.js";

const USAGE = `Usage: pnpm bench:migrate [--items N] [--segments N] [--json]
  --items     legacy ACTIVE listings to migrate (default 50000)
  --segments  the runner's parallel scan segments (default 8)
  --json      print the results as JSON (progress still goes to stderr)`;

type Options = ReturnType<typeof parseOptions>;

function parseOptions() {
  const { values, number } = benchArgs(USAGE, {
    items: { type: "string", default: "50000" },
    segments: { type: "string", default: "8" },
    json: { type: "boolean", default: false },
  });
  return {
    items: number("items", values.items, { min: 1, max: 1_000_000 }),
    segments: number("segments", values.segments, { min: 1, max: 64 }),
    json: values.json,
  };
}

/** Wall time and CPU (this process, DynamoDB Local) of `task`, per item it changed. */
async function measured(dynamo: BenchDynamoDb, task: () => Promise<number>): Promise<SideResult> {
  const client = process.cpuUsage();
  const server = dynamo.cpuMs();
  const started = performance.now();
  const changed = await task();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(client);
  const serverNow = dynamo.cpuMs();
  return {
    changed,
    seconds,
    itemsPerSecond: changed / seconds,
    cpuMsPerItem: {
      client: (user + system) / 1000 / changed,
      dynamoDbLocal:
        server === undefined || serverNow === undefined ? null : (serverNow - server) / changed,
    },
  };
}

async function bench(dynamo: BenchDynamoDb, options: Options): Promise<MigrateBenchResult> {
  const runtime = configure(
    {
      STAGE: "bench",
      AWS_REGION: "eu-north-1",
      TABLE_NAME: "bench-migrate",
      DYNAMODB_ENDPOINT: dynamo.endpoint,
    },
    { credentials: { accessKeyId: "local", secretAccessKey: "local" } },
  );
  const core = loadCore(runtime);
  const { client, testing, Migrations, migration } = core;
  const tables = { runner: "bench-runner", sequential: "bench-sequential" };

  let started = performance.now();
  const items = testing.legacyItems({ active: options.items });
  for (const table of Object.values(tables)) {
    await testing.createTable(client, table);
    await testing.putItems(client, table, items);
  }
  log(
    `filled 2 tables with ${options.items} legacy ACTIVE listings in ${fixed((performance.now() - started) / 1000)} s`,
  );

  log(`runner: ${options.segments} segments...`);
  let lastLog = 0;
  let report: Awaited<ReturnType<typeof Migrations.run>> | undefined;
  const runner = await measured(dynamo, async () => {
    report = await Migrations.run(migration, {
      client,
      table: tables.runner,
      stage: "bench",
      operator: Migrations.osOperator(),
      segments: options.segments,
      progress: (event) => {
        if (event.elapsedMs - lastLog < 5000) return;
        lastLog = event.elapsedMs;
        log(
          `  runner: ${event.counts.changed} changed, ${event.segmentsDone}/${event.totalSegments} segments done`,
        );
      },
    });
    return report.counts.changed;
  });
  log(`runner: ${runner.changed} changed in ${fixed(runner.seconds)} s`);

  log("sequential: one UpdateItem at a time...");
  const sequential = await measured(dynamo, async () => {
    return (await sequentialMigration(core, tables.sequential)).changed;
  });
  log(`sequential: ${sequential.changed} changed in ${fixed(sequential.seconds)} s`);

  started = performance.now();
  const [a, b] = await Promise.all([
    testing.snapshotTable(client, tables.runner),
    testing.snapshotTable(client, tables.sequential),
  ]);
  const data = (list: typeof a) => list.filter((item) => !Migrations.isBookkeeping(item));
  const identical = isDeepStrictEqual(data(a), data(b));
  log(
    `end states compared in ${fixed((performance.now() - started) / 1000)} s: ${identical ? "identical" : "DIFFERENT"}`,
  );
  if (!identical || runner.changed !== options.items || sequential.changed !== options.items) {
    throw new Error("The two migrations did not end in the same state: the comparison is void.");
  }
  return {
    items: options.items,
    segments: options.segments,
    runner: { ...runner, conflicts: report?.conflicts ?? 0, retries: report?.retries ?? 0 },
    sequential,
    ratio: runner.itemsPerSecond / sequential.itemsPerSecond,
    endStatesIdentical: identical,
  };
}

// Node 20 is this repo's floor; the SDK's notice about Node 22 would clutter the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
runBench(async () => {
  const options = parseOptions();
  await withDynamoDbLocal(async (dynamo) => {
    const result = await bench(dynamo, options);
    console.log(options.json ? JSON.stringify(result, null, 2) : migrateReport(result));
  });
});
