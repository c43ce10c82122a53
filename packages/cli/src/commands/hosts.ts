import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { describeTable } from "@localstays/core/migration/context";
import { userPoolName } from "@localstays/core/user-pool";
import { cognitoClientFor } from "@localstays/local/sign-in";
import { type Command, Option } from "commander";
import { CliError, isConnectionRefused } from "../errors.js";
import { type Repair, type RepairReport, repairHosts } from "../hosts/repair.js";
import { findUserPoolId } from "../hosts/user-pool.js";
import {
  checkTable,
  configureTarget,
  resolveStageTarget,
  type StageOptions,
  type StageTarget,
} from "../stage-target.js";

/**
 * `localstays hosts repair --stage <stage> [--apply | --dry-run]`: confirmed users without a
 * Host record get one (see hosts/repair.ts). One line per such user on stdout (or the report
 * as JSON with --json); the rest goes to stderr.
 */
interface RepairCommandOptions extends StageOptions {
  userPoolId?: string;
  apply?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

const MODES = `
Writes: on --stage local it repairs unless --dry-run is given (the local stack is yours). On
every other stage, prod included, it only lists what it would do unless --apply is given.
Re-running is safe: a user that has a host by then is left alone, and each repair is the
sign-up trigger's own idempotent step (Host record, then the hosts group). Users whose trigger
never ran are included: Cognito runs PostConfirmation for sign-ups only, not for users an
administrator created.`;

const log = (line: string) => process.stderr.write(`${line}\n`);
const print = (line: string) => {
  process.stdout.write(`${line}\n`);
};

function modeOf(options: RepairCommandOptions, target: StageTarget): "apply" | "dry-run" {
  if (options.apply) return "apply";
  if (options.dryRun) return "dry-run";
  return target.stage === "local" ? "apply" : "dry-run";
}

/** The stage's Cognito client and pool: the local stack's from its outputs, else by name. */
async function userPoolOf(target: StageTarget, options: { userPoolId?: string }) {
  if (target.outputs) {
    if (options.userPoolId) throw new CliError("--user-pool-id is for AWS stages only.");
    return { cognito: cognitoClientFor(target.outputs), userPoolId: target.outputs.UserPoolId };
  }
  const cognito = new CognitoIdentityProviderClient({ region: target.region });
  const userPoolId =
    options.userPoolId ?? (await findUserPoolId(cognito, userPoolName(target.stage)));
  return { cognito, userPoolId };
}

/**
 * Runs `work` with the stage's Cognito client and pool, then closes the client; a local stack
 * that does not answer is said in words.
 */
export async function withUserPool<T>(
  target: StageTarget,
  options: { userPoolId?: string },
  work: (pool: { cognito: CognitoIdentityProviderClient; userPoolId: string }) => Promise<T>,
): Promise<T> {
  const pool = await userPoolOf(target, options);
  try {
    return await work(pool);
  } catch (error) {
    if (isConnectionRefused(error)) {
      throw new CliError(
        `The local stack is not running: nothing answers at ${target.outputs?.CognitoEndpoint}. Start it with \`pnpm start\`.`,
      );
    }
    throw error;
  } finally {
    pool.cognito.destroy();
  }
}

function repairLine(repair: Repair): string {
  const who = `${repair.username} <${repair.email ?? "no e-mail"}>`;
  const what = repair.missing.map((m) => (m === "host" ? "Host record" : "hosts group")).join(", ");
  const name = repair.displayName === undefined ? "" : ` as "${repair.displayName}"`;
  if (repair.outcome === "repaired")
    return `repaired ${who}${name} (host ${repair.hostId}; was missing: ${what})`;
  if (repair.outcome === "would-repair") return `would repair ${who}${name} (missing: ${what})`;
  return `FAILED ${who} (missing: ${what}): ${repair.error}`;
}

async function repairCommand(options: RepairCommandOptions) {
  const target = await resolveStageTarget(options);
  const runtime = configureTarget(target);
  await checkTable(target, () => describeTable(runtime.dynamo(), target.table));
  const mode = modeOf(options, target);
  const where = target.endpoint ? "local" : `AWS ${target.region}`;
  const report: RepairReport = await withUserPool(target, options, ({ cognito, userPoolId }) => {
    log(
      `User pool ${userPoolId}, table ${target.table} (${where})${target.prod ? " - PROD" : ""}; ` +
        (mode === "apply" ? "mode: apply." : "mode: dry run, nothing is written (--apply writes)."),
    );
    return repairHosts({
      cognito,
      userPoolId,
      apply: mode === "apply",
      progress: options.json ? undefined : (repair) => print(repairLine(repair)),
    });
  });
  const failed = report.repairs.filter((r) => r.outcome === "failed").length;
  if (failed) process.exitCode = 1;
  if (options.json) return print(JSON.stringify(report, null, 2));
  const todo = report.repairs.length - failed;
  log(
    `${report.confirmedUsers} confirmed users, ${report.enrolled} with a host and the hosts group; ` +
      `${todo} ${mode === "apply" ? "repaired" : "to repair"}${failed ? `, ${failed} failed` : ""}.`,
  );
}

export function registerHostsCommand(program: Command): void {
  const hosts = program.command("hosts").description("Operator commands on a stage's hosts");
  hosts
    .command("repair")
    .description(
      "Enrol every confirmed user without a Host record or the hosts group, as the sign-up trigger does",
    )
    .requiredOption("--stage <stage>", '"local" (the local stack) or an AWS stage, e.g. dev1')
    .option("--region <region>", "AWS stages: the region (default: the stage's, stacks/stage.ts)")
    .option("--outputs <file>", "--stage local: the local stack's outputs.json")
    .option(
      "--user-pool-id <id>",
      "AWS stages: the user pool (default: the one named localstays-<stage>)",
    )
    .addOption(
      new Option(
        "--dry-run",
        "write nothing, list what would be repaired (the default on every stage but local)",
      ).conflicts("apply"),
    )
    .addOption(
      new Option("--apply", "repair (the default on --stage local only)").conflicts("dryRun"),
    )
    .option("--json", "print the report as JSON")
    .addHelpText("after", MODES)
    .action(repairCommand);
}
