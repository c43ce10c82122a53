import {
  type Migration,
  MigrationError,
  Migrations,
  type ProgressEvent,
} from "@localstays/core/migration/index";
import { type Command, InvalidArgumentError, Option } from "commander";
import { CliError } from "../errors.js";
import {
  checkTable,
  configureTarget,
  resolveStageTarget,
  type StageOptions,
  type StageTarget,
} from "../stage-target.js";

/**
 * `localstays migrate <list|status|run|verify|revert>`: the data migrations of
 * packages/core/src/migration on a stage's table (see stage-target.ts for `--stage`).
 * Progress goes to stderr, the result to stdout (`--json` for JSON).
 */
const MODES = `
Writes: on --stage local, run and revert write unless --dry-run is given (the local stack's
data is yours). On every other stage they are dry runs that write nothing, not even an audit
record, unless --apply is given. --dry-run and --apply exclude each other.

Runs are checkpointed: an interrupted run (Ctrl-C stops it between write batches; a killed
one anywhere) continues where it stopped with the same command. Each applied run and revert
leaves an audit record (who, when, stage, counts) in the table; \`status\` shows the last.`;

interface StageCommandOptions extends StageOptions {
  json?: boolean;
}

interface WriteOptions extends StageCommandOptions {
  id?: string;
  dryRun?: boolean;
  apply?: boolean;
  segments?: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const print = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const json = (value: unknown) => print(JSON.stringify(value, null, 2));

/** The target, bound and checked, with what every stage subcommand needs. */
async function openStage(options: StageOptions) {
  const target = await resolveStageTarget(options);
  const client = configureTarget(target).dynamo();
  await checkTable(target, () =>
    Migrations.describeTable(client, target.table).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      if (code && ["ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ENETUNREACH"].includes(code)) {
        throw new CliError(
          `Cannot reach DynamoDB in ${target.region} (${code}): check the network, or --region.`,
        );
      }
      throw error;
    }),
  );
  const operator = target.endpoint ? Migrations.osOperator() : await Migrations.awsOperator(client);
  const where = target.endpoint ? `local, ${target.endpoint}` : `AWS ${target.region}`;
  log(`Table ${target.table} (${where})${target.prod ? " - PROD" : ""}; operator ${operator.id}`);
  return { target, client, operator };
}

type Stage = Awaited<ReturnType<typeof openStage>>;

function contextOf(stage: Stage, signal?: AbortSignal, segments?: number) {
  let lastPrint = 0;
  return {
    client: stage.client,
    table: stage.target.table,
    stage: stage.target.stage,
    operator: stage.operator,
    ...(segments ? { segments } : {}),
    ...(signal ? { signal } : {}),
    progress: (event: ProgressEvent) => {
      if (event.elapsedMs - lastPrint < 1000) return;
      lastPrint = event.elapsedMs;
      const seconds = event.elapsedMs / 1000;
      const counts = Object.entries(event.counts)
        .filter(([, n]) => n)
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");
      const rate = event.counts.changed
        ? `, ${Math.round(event.counts.changed / seconds)} changed/s`
        : "";
      log(
        `  ${event.migrationId} ${event.action}: ${counts || "starting"}; ` +
          `${event.segmentsDone}/${event.totalSegments} segments${rate}`,
      );
    },
  };
}

function modeOf(options: WriteOptions, target: StageTarget): "apply" | "dry-run" {
  if (options.apply) return "apply";
  if (options.dryRun) return "dry-run";
  return target.stage === "local" ? "apply" : "dry-run";
}

function selected(id: string | undefined): readonly Migration[] {
  if (!id) return Migrations.all;
  const migration = Migrations.find(id);
  if (!migration) {
    const known = Migrations.all.map((m) => m.id).join(", ");
    throw new CliError(`There is no migration "${id}". Known: ${known}.`);
  }
  return [migration];
}

/** Ctrl-C (or SIGTERM) stops between write batches; a second one exits at once. */
function interruptible(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    log("Stopping after the write batches in flight (again to quit at once)...");
    controller.abort();
  };
  process.on("SIGINT", stop).on("SIGTERM", stop);
  return controller.signal;
}

/** Runs an action; migration refusals are user-facing errors, not stack traces. */
function action<T>(run: (options: T) => Promise<unknown>) {
  return async (options: T) => {
    try {
      await run(options);
    } catch (error) {
      if (error instanceof MigrationError) throw new CliError(error.message);
      throw error;
    }
  };
}

const count = (value: number | undefined) => String(value ?? 0);
const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([name, n]) => `${name} ${count(n)}`)
    .join(", ");

async function runCommand(options: WriteOptions) {
  const stage = await openStage(options);
  const mode = modeOf(options, stage.target);
  const signal = interruptible();
  log(mode === "apply" ? "Mode: apply." : "Mode: dry run, nothing is written (--apply writes).");
  const reports = [];
  for (const migration of selected(options.id)) {
    const context = contextOf(stage, signal, options.segments);
    const report =
      mode === "apply"
        ? await Migrations.run(migration, context)
        : await Migrations.dryRun(migration, context);
    reports.push(report);
    if (!options.json) print(runText(report));
    if (report.outcome === "interrupted") {
      log(`Interrupted: run the same command again to continue ${migration.id}.`);
      process.exitCode = 130;
      break;
    }
  }
  if (options.json) json(reports);
  const applied = reports.filter((report) => report.outcome === "applied").length;
  // The stage's dashboard shows it; a local table has no CloudWatch.
  if (!stage.target.endpoint && applied > 0) {
    const [{ CloudWatchClient }, { recordMigrationsApplied }] = await Promise.all([
      import("@aws-sdk/client-cloudwatch"),
      import("../migration-metric.js"),
    ]);
    const client = new CloudWatchClient({ region: stage.target.region });
    try {
      await recordMigrationsApplied(client, stage.target.stage, applied, log);
    } finally {
      client.destroy();
    }
  }
}

function runText(report: Awaited<ReturnType<typeof Migrations.run>>): string {
  const head = `${report.migrationId}: ${report.outcome}`;
  if (report.outcome === "already-applied") {
    return `${head} (run ${report.runId}, ${report.state?.appliedAt}); nothing to do`;
  }
  const lines = [
    `${head}${report.runId ? ` (run ${report.runId}${report.resumed ? ", resumed" : ""})` : ""}`,
    `  ${report.mode === "dry-run" ? "nothing written; it would be: " : ""}${countsText({ ...report.counts })}; conflicts ${report.conflicts}, retries ${report.retries}; ${(report.ms / 1000).toFixed(1)} s`,
  ];
  if (report.totals) lines.push(`  whole run: ${countsText({ ...report.totals })}`);
  for (const key of report.skippedKeys) lines.push(`  skipped ${JSON.stringify(key)}`);
  for (const sample of report.samples ?? []) {
    lines.push(
      `  e.g. ${JSON.stringify(sample.key)}: ${JSON.stringify(sample.before)} -> ${JSON.stringify(sample.after)}`,
    );
  }
  return lines.join("\n");
}

async function revertCommand(options: WriteOptions) {
  const stage = await openStage(options);
  const mode = modeOf(options, stage.target);
  const [migration] = selected(options.id);
  if (!options.id || !migration) throw new CliError("revert needs --id <migration id>.");
  log(mode === "apply" ? "Mode: apply." : "Mode: dry run, nothing is written (--apply writes).");
  const report = await Migrations.revert(migration, contextOf(stage, interruptible()), mode);
  if (report.outcome === "interrupted") process.exitCode = 130;
  if (options.json) return json(report);
  const lines = [
    `${report.migrationId}: ${report.outcome} (run ${report.runId})`,
    `  ${report.mode === "dry-run" ? "nothing written; it would be: " : ""}${countsText({ ...report.counts })}; ${(report.ms / 1000).toFixed(1)} s`,
    ...(report.totals ? [`  whole revert: ${countsText({ ...report.totals })}`] : []),
    ...report.skippedKeys.map(
      (key) => `  left as it is now (changed since): ${JSON.stringify(key)}`,
    ),
  ];
  print(lines.join("\n"));
}

async function verifyCommand(options: WriteOptions) {
  const stage = await openStage(options);
  const reports = [];
  for (const migration of selected(options.id)) {
    reports.push(await Migrations.verify(migration, contextOf(stage)));
  }
  if (reports.some((r) => !r.clean)) process.exitCode = 1;
  if (options.json) return json(reports);
  for (const r of reports) {
    const lines = [
      `${r.migrationId}: ${r.clean ? "clean" : "NOT clean"} (${r.read} items scanned)`,
      `  left to migrate: ${r.remaining.count}${r.remaining.sample.map((k) => `\n    ${JSON.stringify(k)}`).join("")}`,
      `  problems: ${r.problems.count}${r.problems.sample.map((p) => `\n    ${JSON.stringify(p.key)}: ${p.problem}`).join("")}`,
    ];
    print(lines.join("\n"));
  }
}

async function statusCommand(options: StageCommandOptions) {
  const stage = await openStage(options);
  const rows = await Migrations.status(Migrations.all, {
    client: stage.client,
    table: stage.target.table,
  });
  if (options.json) return json(rows);
  for (const row of rows) {
    const state = row.state;
    let detail = "";
    if (row.status === "applied")
      detail = `${state?.appliedAt}, changed ${count(state?.totals?.changed)}`;
    if (row.status === "reverted")
      detail = `${state?.revertedAt}, restored ${count(state?.revertTotals?.restored)}`;
    if (row.progress) {
      const p = row.progress;
      detail = `${p.segmentsDone}/${p.totalSegments} segments done, changed ${p.changed} so far (run again to continue)`;
    }
    const audit = row.lastAudit;
    const last = audit
      ? `\n  last: ${audit.action} ${audit.outcome} ${audit.startedAt} by ${audit.by.id} (${audit.by.osUser})`
      : "";
    print(`${row.migrationId}  ${row.status}${detail ? `  ${detail}` : ""}${last}`);
  }
}

function positive(name: string, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    }
    return n;
  };
}

function stageCommand(parent: Command, name: string, description: string) {
  return parent
    .command(name)
    .description(description)
    .requiredOption("--stage <stage>", '"local" (the local stack) or an AWS stage, e.g. dev1')
    .option("--region <region>", "AWS stages: the region (default: the stage's, stacks/stage.ts)")
    .option("--outputs <file>", "--stage local: the local stack's outputs.json")
    .option("--json", "print the result as JSON");
}

function writeOptions(command: Command) {
  return command
    .addOption(
      new Option(
        "--dry-run",
        "write nothing, report what would change (the default on every stage but local)",
      ).conflicts("apply"),
    )
    .addOption(
      new Option("--apply", "write (the default on --stage local only)").conflicts("dryRun"),
    )
    .addHelpText("after", MODES);
}

export function registerMigrateCommand(program: Command): void {
  const migrate = program
    .command("migrate")
    .description("Data migrations of a stage's table: list, status, run, verify, revert")
    .addHelpText("after", MODES);

  migrate
    .command("list")
    .description("The migrations, in the order they apply")
    .option("--json", "print the list as JSON")
    .action(
      action(async (options: { json?: boolean }) => {
        // No configuration: listing the registry touches no table.
        const rows = Migrations.all.map(({ id, description, reversible }) => ({
          id,
          description,
          reversible,
        }));
        if (options.json) return json(rows);
        for (const row of rows) {
          print(`${row.id}  ${row.reversible ? "reversible" : "one-way"}  ${row.description}`);
        }
      }),
    );

  stageCommand(migrate, "status", "Where each migration stands on the stage (reads only)").action(
    action(statusCommand),
  );
  writeOptions(
    stageCommand(migrate, "run", "Apply the pending migrations, or one (--id)")
      .option("--id <id>", "only this migration (its id or number, e.g. 0001)")
      .option(
        "--segments <n>",
        "parallel scan segments of a new run (default 8)",
        positive("--segments", 64),
      ),
  ).action(action(runCommand));
  stageCommand(
    migrate,
    "verify",
    "Report what is left to migrate or wrong (reads only; exit 1 if any)",
  )
    .option("--id <id>", "only this migration")
    .action(action(verifyCommand));
  writeOptions(
    stageCommand(migrate, "revert", "Undo a migration's changes from its journal").requiredOption(
      "--id <id>",
      "the migration to revert",
    ),
  ).action(action(revertCommand));
}
