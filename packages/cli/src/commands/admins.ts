import type { Command } from "commander";
import { demoteAdmin } from "../hosts/demote.js";
import { resolveStageTarget, type StageOptions } from "../stage-target.js";
import { withUserPool } from "./hosts.js";

/**
 * `localstays admins demote --stage <stage> --email <email>`: takes the admins group from a
 * user and signs the user out everywhere (see hosts/demote.ts); prints when the last access
 * token issued before the sign-out expires (the revocation window).
 */
interface DemoteOptions extends StageOptions {
  email: string;
  userPoolId?: string;
}

async function demoteCommand(options: DemoteOptions) {
  const target = await resolveStageTarget(options);
  const demotion = await withUserPool(target, options, ({ cognito, userPoolId }) =>
    demoteAdmin(cognito, userPoolId, options.email),
  );
  process.stderr.write(
    `${demotion.email} (${demotion.username}): ${demotion.wasAdmin ? "removed from admins" : "was not in admins"}, ` +
      "signed out everywhere (refresh tokens revoked). Access tokens issued before stay valid " +
      `for the API until ${demotion.tokensValidUntil} at the latest.\n`,
  );
  process.stdout.write(`${JSON.stringify(demotion)}\n`);
}

export function registerAdminsCommand(program: Command): void {
  const admins = program.command("admins").description("Operator commands on a stage's admins");
  admins
    .command("demote")
    .description("Remove a user from the admins group and sign the user out everywhere")
    .requiredOption("--stage <stage>", "an AWS stage, e.g. staging")
    .requiredOption("--email <email>", "the admin's e-mail address")
    .option("--region <region>", "the region (default: the stage's, stacks/stage.ts)")
    .option("--outputs <file>", "--stage local: the local stack's outputs.json")
    .option("--user-pool-id <id>", "the user pool (default: the one named localstays-<stage>)")
    .action(demoteCommand);
}
