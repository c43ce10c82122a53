import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../errors.js";
import { runSmoke } from "../smoke/checks.js";
import { DEFAULT_PHOTO_TIMEOUT_MS } from "../smoke/photo.js";
import { failureReason, formatReport } from "../smoke/report.js";
import { resolveSmokeTarget, type SmokeOptions } from "../smoke/target.js";

/**
 * `pnpm smoke --stage <stage>` (a deployed stage), `pnpm smoke --url <api>` or
 * `pnpm smoke --local`: health, the dashboard, public search and, given a test user, a host
 * round trip with a photo that deletes and archives what it created. stdout: one line per
 * check (or JSON with --json); exit 1 with the reason on stderr when a check fails.
 */
function milliseconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 100 || n > 120_000) {
    throw new InvalidArgumentError("--timeout must be a whole number of ms from 100 to 120000.");
  }
  return n;
}

function photoMilliseconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1000 || n > 600_000) {
    throw new InvalidArgumentError(
      "--photo-timeout must be a whole number of ms from 1000 to 600000.",
    );
  }
  return n;
}

export function registerSmokeCommand(program: Command): void {
  program
    .command("smoke")
    .description("Smoke-test a deployed stage, a URL or the local stack (leaves no data behind)")
    .option("--stage <stage>", "a deployed stage: API URL and app client from CloudFormation")
    .option("--url <url>", "the API base URL (overrides the one from the outputs)")
    .option(
      "--local",
      "the local stack: .localstays/outputs.json, as its smoke user if any, else the demo host",
    )
    .option(
      "--outputs <file>",
      "--stage: read this SST outputs file instead of CloudFormation; --local: .localstays/",
    )
    .option(
      "--username <user>",
      "the test user (default $SMOKE_USERNAME, else the stage's smoke user: localstays smoke-user)",
    )
    .option("--password <password>", "its password (default $SMOKE_PASSWORD)")
    .option("--client-id <id>", "the user pool app client (default: from the outputs)")
    .option("--region <region>", "the stage's and its user pool's region (default: the stage's)")
    .option("--city <city>", "the city of the public search", "zurich")
    .option("--web-url <url>", "the dashboard (default: the stage's or local stack's WebUrl)")
    .option(
      "--photo-timeout <ms>",
      "how long the test photo may take to process",
      photoMilliseconds,
      DEFAULT_PHOTO_TIMEOUT_MS,
    )
    .option("--require-user", "fail when no test user is given (deploy pipelines)")
    .option("--timeout <ms>", "per request", milliseconds, 10_000)
    .option("--json", "print the report as JSON")
    .action(async (options: SmokeOptions) => {
      const target = await resolveSmokeTarget(options);
      const report = await runSmoke(target, {
        timeoutMs: options.timeout ?? 10_000,
        city: options.city ?? "zurich",
        photoTimeoutMs: options.photoTimeout,
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report),
      );
      const reason = failureReason(report);
      if (reason) throw new CliError(reason);
    });
}
