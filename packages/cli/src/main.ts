import { Command } from "commander";
import { registerAdminsCommand } from "./commands/admins.js";
import { registerCostCommand } from "./commands/cost.js";
import { registerHostsCommand } from "./commands/hosts.js";
import { registerLiveCheckCommand } from "./commands/live-check.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerPreviewLimitCommand } from "./commands/preview-limit.js";
import { registerPromoteCheckCommand } from "./commands/promote-check.js";
import { registerRestoreCommand } from "./commands/restore.js";
import { registerSeedCommand } from "./commands/seed.js";
import { registerSmokeCommand } from "./commands/smoke.js";
import { registerSmokeUserCommand } from "./commands/smoke-user.js";
import { registerTokenCommand } from "./commands/token.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { registerWatchCommand } from "./commands/watch.js";
import { CliError } from "./errors.js";

/**
 * The `localstays` CLI (`pnpm -s localstays <command>`). Each command lives in its own module
 * under commands/ and registers itself here; stdout carries only a command's result, so it
 * can be used in `$(...)`, and every message goes to stderr.
 */
// Node 20 is this repo's floor; the SDK's notice about Node 22 would clutter every command's
// stderr. It is read when a client is constructed, so setting it here is early enough.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const program = new Command("localstays")
  .description("Localstays developer and operator commands")
  .showHelpAfterError();

registerTokenCommand(program);
registerSeedCommand(program);
registerMigrateCommand(program);
registerHostsCommand(program);
registerAdminsCommand(program);
registerPromoteCheckCommand(program);
registerSmokeCommand(program);
registerSmokeUserCommand(program);
registerVerifyCommand(program);
registerRestoreCommand(program);
registerCostCommand(program);
registerWatchCommand(program);
registerLiveCheckCommand(program);
registerPreviewLimitCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`localstays: ${error.message}\n`);
  } else {
    process.stderr.write(`localstays: unexpected error\n${(error as Error).stack ?? error}\n`);
  }
  process.exitCode = 1;
}
