import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import { restoredTableName, tableSettingParameter } from "@localstays/core/table";
import { readOutputs } from "@localstays/local/outputs";
import { defaultDataDir } from "@localstays/local/paths";
import { writeTableSetting as writeLocalSetting } from "@localstays/local/table-setting";
import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../errors.js";
import {
  checkRestorePoint,
  currentTable,
  describe,
  type RestorePoint,
  restoreTableFeatures,
  restoreToPointInTime,
  writeTableSetting,
} from "../restore/aws.js";
import { copyTable } from "../restore/copy.js";
import { formatCounts, verifyRestored } from "../restore/verify.js";
import type { WaitOptions } from "../restore/wait.js";
import {
  checkTable,
  configureTarget,
  resolveStageTarget,
  type StageOptions,
  type StageTarget,
} from "../stage-target.js";
import { stagePhotoBucket } from "./seed.js";

/**
 * `localstays restore --stage X --to <ISO time|latest> [--cutover]`: restores the stage's
 * table into a new table (`localstays-<stage>-restore-<time>`), verifies it and, with
 * --cutover (or later `--cutover-to <table>`), points the stage at it. The runbook is in
 * docs/operations.md ("Disaster recovery").
 */
const DETAILS = `
AWS stages: a point-in-time restore (PITR) of the table the stage uses now (its setting
${tableSettingParameter("<stage>")}), with progress while DynamoDB restores it. A dry run
that only checks the restore point unless --apply is given; prod also needs
--i-know-this-is-prod, LOCALSTAYS_PROD_ACCOUNT_ID and credentials of that account.
Cut-over: the restored table gets the source's stream, TTL, PITR, deletion protection and
tags, the stage's table setting names it, and the next deploy of the stage moves every
function to it. The old table stays until an operator deletes it.

--stage local: DynamoDB Local has no PITR, so the table is copied through a scan (the state
now: --to latest only). --cutover switches the running local stack to the copy.`;

export interface RestoreOptions extends StageOptions {
  to?: string;
  cutover?: boolean;
  cutoverTo?: string;
  apply?: boolean;
  iKnowThisIsProd?: boolean;
}

export interface RestoreIo {
  log: (line: string) => void;
  /** Table waits (tests shorten them). */
  wait?: WaitOptions;
  /** How long to wait for a running local stack to switch tables; default 20 s. */
  switchTimeoutMs?: number;
  now?: () => Date;
}

export interface RestoreResult {
  /** The restored (or cut-over-to) table. */
  table: string;
  dryRun: boolean;
  cutOver: boolean;
}

const stderr: RestoreIo = { log: (line) => process.stderr.write(`${line}\n`) };

export function parseRestorePoint(value: string): RestorePoint {
  if (value === "latest") return "latest";
  // An ISO 8601 time with its zone: a restore point must not depend on the shell's TZ.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new InvalidArgumentError(
      'expected "latest" or an ISO time with its zone, e.g. 2026-12-02T14:30:00Z',
    );
  }
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`${value} is not a time`);
  return at;
}

export function registerRestoreCommand(program: Command): void {
  program
    .command("restore")
    .description("Restore a stage's table to a point in time, verify it, and cut over to it")
    .requiredOption("--stage <stage>", "the stage (local: the local stack)")
    .option("--to <time>", 'ISO time with zone, or "latest"')
    .option("--cutover", "after verifying, point the stage at the restored table")
    .option("--cutover-to <table>", "cut over to a table restored earlier (no new restore)")
    .option("--apply", "off local: really restore (default: dry run)")
    .option("--i-know-this-is-prod", "allow --apply on prod")
    .option("--region <region>", "AWS region (default: the stage's)")
    .option("--outputs <file>", "local stack outputs (default: .localstays/outputs.json)")
    .addHelpText("after", DETAILS)
    .action(async (options: RestoreOptions) => {
      const result = await restore(options);
      process.stdout.write(`${result.table}\n`);
    });
}

export async function restore(
  options: RestoreOptions,
  io: RestoreIo = stderr,
): Promise<RestoreResult> {
  if (Boolean(options.to) === Boolean(options.cutoverTo)) {
    throw new CliError("Give either --to <time|latest> (a new restore) or --cutover-to <table>.");
  }
  if (options.cutover && options.cutoverTo) {
    throw new CliError("--cutover goes with --to; --cutover-to cuts over on its own.");
  }
  const to = options.to === undefined ? undefined : parseRestorePoint(options.to);
  const target = await resolveStageTarget(options);
  return target.endpoint
    ? restoreLocal(target, options, to, io)
    : restoreAws(target, options, to, io);
}

async function restoreLocal(
  target: StageTarget,
  options: RestoreOptions,
  to: RestorePoint | undefined,
  io: RestoreIo,
): Promise<RestoreResult> {
  const client = configureTarget(target).dynamo();
  await checkTable(target, async () => {
    await describe(client, target.table);
    return { account: undefined };
  });
  let restored = options.cutoverTo;
  if (restored) {
    await describe(client, restored);
  } else {
    if (to !== "latest") {
      throw new CliError(
        "DynamoDB Local has no point-in-time recovery: --stage local restores --to latest only (a copy of the table as it is now).",
      );
    }
    restored = restoredTableName(target.stage, (io.now ?? (() => new Date()))());
    io.log(
      `DynamoDB Local has no point-in-time recovery: copying ${target.table} into ${restored} through a scan instead.`,
    );
    const { copied } = await copyTable(client, target.table, restored, {
      progress: io.log,
      ...(io.wait ? { wait: io.wait } : {}),
    });
    io.log(`Copied ${copied} items.`);
  }
  await verify(target, restored, io, { compareWith: options.cutoverTo ? undefined : target.table });
  if (!(options.cutover || options.cutoverTo)) {
    io.log(`Cut over with: pnpm -s localstays restore --stage local --cutover-to ${restored}`);
    return { table: restored, dryRun: false, cutOver: false };
  }
  const dataDir = options.outputs ? dirname(options.outputs) : defaultDataDir;
  const file = writeLocalSetting(dataDir, {
    table: restored,
    previous: target.table,
    since: new Date().toISOString(),
  });
  io.log(`Table setting ${file} now names ${restored}.`);
  const switched = await waitForLocalSwitch(
    options.outputs,
    restored,
    io.switchTimeoutMs ?? 20_000,
  );
  io.log(
    switched
      ? `The running local stack now serves ${restored}; ${target.table} is kept until you delete it.`
      : `No running local stack switched (is \`pnpm start\` running?); it starts on ${restored} next time.`,
  );
  return { table: restored, dryRun: false, cutOver: true };
}

/** Whether the running stack rewrote its outputs with the new table in time. */
async function waitForLocalSwitch(outputs: string | undefined, table: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readOutputs(outputs).TableName === table) return true;
    await sleep(100);
  }
  return false;
}

async function restoreAws(
  target: StageTarget,
  options: RestoreOptions,
  to: RestorePoint | undefined,
  io: RestoreIo,
): Promise<RestoreResult> {
  const { stage, region } = target;
  if (target.prod) {
    if (options.apply && !options.iKnowThisIsProd) {
      throw new CliError(
        `Refusing to restore prod without --i-know-this-is-prod: rehearse on staging first (docs/operations.md).`,
      );
    }
    if (!target.account) {
      throw new CliError(
        "Refusing to restore prod: the prod account is not configured. Set LOCALSTAYS_PROD_ACCOUNT_ID.",
      );
    }
  }
  const client = new DynamoDBClient({ region });
  const ssm = new SSMClient({ region });
  try {
    target.table = await currentTable(ssm, stage);
    let source = await describe(client, target.table);
    // The account check: the table's ARN against the stage's account (and prod's).
    await checkTable(target, async () => ({ account: source.TableArn?.split(":")[4] }));
    const dryRun = !options.apply;
    io.log(
      `Stage ${stage} uses table ${target.table} (AWS ${region})${target.prod ? " - PROD" : ""}.`,
    );

    let restored = options.cutoverTo;
    if (restored) {
      if (restored === target.table) throw new CliError(`Stage ${stage} uses ${restored} already.`);
      await describe(client, restored);
    } else {
      const point = to as RestorePoint;
      const window = await checkRestorePoint(client, target.table, point);
      restored = restoredTableName(stage, (io.now ?? (() => new Date()))());
      const when = point === "latest" ? "the latest restorable time" : point.toISOString();
      if (dryRun) {
        io.log(
          `Dry run: would restore ${target.table} at ${when} into ${restored} ` +
            `(window ${window.earliest.toISOString()} to ${window.latest.toISOString()}). ` +
            "Nothing was written; run again with --apply.",
        );
        return { table: restored, dryRun: true, cutOver: false };
      }
      io.log(`Restoring ${target.table} at ${when} into ${restored}...`);
      await restoreToPointInTime(client, source, restored, point, { progress: io.log, ...io.wait });
    }
    if (dryRun && options.cutoverTo) {
      io.log(`Dry run: would cut stage ${stage} over to ${restored}. Run again with --apply.`);
      return { table: restored, dryRun: true, cutOver: false };
    }
    await verify(target, restored, io, {});
    if (!(options.cutover || options.cutoverTo)) {
      const prod = target.prod ? " --i-know-this-is-prod" : "";
      io.log(
        `Cut over with: pnpm -s localstays restore --stage ${stage} --cutover-to ${restored} --apply${prod}`,
      );
      return { table: restored, dryRun: false, cutOver: false };
    }
    io.log(`Cutting stage ${stage} over to ${restored}:`);
    source = await describe(client, target.table);
    await restoreTableFeatures(client, source, await describe(client, restored), {
      progress: io.log,
      ...(io.wait ? { wait: io.wait } : {}),
    });
    // Described again: the stream enabled above has its ARN now.
    await writeTableSetting(ssm, stage, await describe(client, restored));
    io.log(
      `${tableSettingParameter(stage)} now names ${restored}. Deploy stage ${stage} (its deploy ` +
        `workflow, or \`pnpm sst deploy --stage ${stage}\`) to move every function to it; ` +
        `${target.table} is kept until an operator deletes it.`,
    );
    return { table: restored, dryRun: false, cutOver: true };
  } finally {
    client.destroy();
    ssm.destroy();
  }
}

async function verify(
  target: StageTarget,
  restored: string,
  io: RestoreIo,
  options: { compareWith?: string | undefined },
) {
  const restoredTarget = { ...target, table: restored };
  const client = configureTarget(restoredTarget).dynamo();
  // Core formats photo URLs with the stage's CDN (its Storage stack's output; the local
  // stack's outputs): read only when there is a listing to read back.
  const runtime = async () =>
    configureTarget(restoredTarget, {
      IMAGES_BASE_URL: target.outputs
        ? target.outputs.ImagesUrl
        : (await stagePhotoBucket(target)).ImagesUrl,
    });
  const verification = await verifyRestored(client, restored, runtime, {
    ...(options.compareWith ? { compareWith: options.compareWith } : {}),
  });
  io.log(`Items in ${restored} by entity type:`);
  for (const line of formatCounts(verification)) io.log(line);
  io.log(`Listings read back through core: ${verification.sampled.length}`);
  if (verification.problems.length) {
    throw new CliError(
      `${restored} failed verification; the stage was not touched:\n  ${verification.problems.join("\n  ")}`,
    );
  }
  return verification;
}
