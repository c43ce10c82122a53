import { type Command, Option } from "commander";
import { estimate, formatEstimate, PROFILES, type ProfileName } from "../cost/estimate.js";
import { CliError } from "../errors.js";
import { ensureOfflineProdAccount } from "../offline-prod-account.js";

/**
 * `localstays cost --stage X [--profile quiet|launch|busy]`: the stage's monthly cost,
 * estimated offline from its synthesized templates (stacks/synth.ts) and a usage profile,
 * priced from the one price table (cost/prices.ts). README and docs/operations.md quote it.
 */
const HELP = `
Profiles (a month): ${Object.entries(PROFILES)
  .map(
    ([name, p]) =>
      `\n  ${name.padEnd(7)} ${p.requests.toLocaleString("en")} API requests, ${p.photos.toLocaleString("en")} photos, ` +
      `${p.storedGb} GB of photos, ${p.tableGb} GB table, ${p.mau.toLocaleString("en")} MAU, ${p.emails.toLocaleString("en")} e-mails`,
  )
  .join("")}
Prices: cost/prices.ts (eu-north-1, eu-central-1). The always-free tier is shown apart: the
stages of one account (dev1, staging, personal stages) share it.`;

export async function costOfStage(stage: string, profile: ProfileName) {
  // The account shapes no price.
  await ensureOfflineProdAccount([stage], () => {});
  const { synthesize } = await import("../../../../stacks/synth.js");
  const result = await synthesize({ stage });
  return estimate(result, profile);
}

export function registerCostCommand(program: Command): void {
  program
    .command("cost")
    .description("Estimate a stage's monthly AWS cost from its synthesized templates")
    .requiredOption("--stage <stage>", "the stage to estimate")
    .addOption(
      new Option("--profile <profile>", "usage profile")
        .choices(Object.keys(PROFILES))
        .default("quiet"),
    )
    .option("--json", "the estimate as JSON")
    .addHelpText("after", HELP)
    .action(async (options: { stage: string; profile: ProfileName; json?: boolean }) => {
      if (!/^[A-Za-z0-9-]+$/.test(options.stage)) {
        throw new CliError(`"${options.stage}" is not a stage name (letters, digits and dashes).`);
      }
      process.stderr.write(`Synthesizing stage ${options.stage}...\n`);
      const result = await costOfStage(options.stage, options.profile);
      process.stdout.write(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatEstimate(result)}\n`,
      );
    });
}
