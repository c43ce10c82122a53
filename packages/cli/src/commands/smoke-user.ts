import { describeTable } from "@localstays/core/migration/context";
import type { Command } from "commander";
import { ensureSmokeUser } from "../smoke-user/bootstrap.js";
import {
  FileSmokeUserStore,
  localSmokeUserFile,
  type SmokeUserStore,
  stageSmokeUserStore,
} from "../smoke-user/store.js";
import {
  checkTable,
  configureTarget,
  resolveStageTarget,
  type StageOptions,
  type StageTarget,
} from "../stage-target.js";
import { withUserPool } from "./hosts.js";

/**
 * `localstays smoke-user --stage <stage>`: creates the stage's smoke user, or gives it a new
 * password, and stores the credentials where `pnpm smoke` reads them (smoke-user/store.ts).
 * stdout: where they are stored; the password is never printed.
 */
interface SmokeUserCommandOptions extends StageOptions {
  userPoolId?: string;
}

const HELP = `
Idempotent: the first run creates the user (AdminCreateUser, no invitation mail), every run sets
a new random password (permanent) and makes sure the user is a host (Host record, hosts group).
Prod is allowed: the smoke user is the one user the smoke test may create there.

AWS stages: the credentials are the SecureString /localstays/<stage>/smoke-user, encrypted with
the stage's key (alias/localstays-<stage>); writing it needs ssm:PutParameter on it and
kms:Encrypt/GenerateDataKey on the key. No function of the stage can read it; the deploy role
and administrators can. --stage local: <data dir>/smoke-user.json (mode 0600), next to the
local stack's outputs.json.`;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The smoke user's store for a target: SSM for an AWS stage, the data dir's file locally. */
export function smokeUserStoreFor(
  target: Pick<StageTarget, "stage" | "region" | "outputs">,
  outputsFile: string | undefined,
): SmokeUserStore {
  if (target.outputs) {
    return new FileSmokeUserStore(localSmokeUserFile(outputsFile));
  }
  return stageSmokeUserStore(target.stage, target.region);
}

async function smokeUserCommand(options: SmokeUserCommandOptions) {
  const target = await resolveStageTarget(options);
  const runtime = configureTarget(target);
  await checkTable(target, () => describeTable(runtime.dynamo(), target.table));
  const store = smokeUserStoreFor(target, options.outputs);
  const where = target.endpoint ? "local" : `AWS ${target.region}`;
  const result = await withUserPool(target, options, ({ cognito, userPoolId }) => {
    log(
      `User pool ${userPoolId}, table ${target.table} (${where})${target.prod ? " - PROD" : ""}.`,
    );
    return ensureSmokeUser({ cognito, userPoolId, stage: target.stage, store });
  });
  log(
    `${result.outcome === "created" ? "Created" : "Rotated the password of"} smoke user ` +
      `${result.username} (host ${result.hostId}); credentials stored in:`,
  );
  process.stdout.write(`${result.where}\n`);
}

export function registerSmokeUserCommand(program: Command): void {
  program
    .command("smoke-user")
    .description(
      "Create the stage's smoke user or rotate its password, and store its credentials for pnpm smoke",
    )
    .requiredOption("--stage <stage>", '"local" (the local stack) or an AWS stage, e.g. dev1')
    .option("--region <region>", "AWS stages: the region (default: the stage's, stacks/stage.ts)")
    .option("--outputs <file>", "--stage local: the local stack's outputs.json")
    .option(
      "--user-pool-id <id>",
      "AWS stages: the user pool (default: the one named localstays-<stage>)",
    )
    .addHelpText("after", HELP)
    .action(smokeUserCommand);
}
