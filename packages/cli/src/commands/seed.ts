import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Host, NotFound } from "@localstays/core";
import { describeTable, type SeedResult, seedDemoData } from "@localstays/core/seed";
import { DEMO_DEFAULTS, LIMITS } from "@localstays/core/seed/generate";
import { PhotosNotProcessed } from "@localstays/core/seed/photos";
import type { Outputs } from "@localstays/local/outputs";
import { cognitoClientFor } from "@localstays/local/sign-in";
import { type Command, InvalidArgumentError } from "commander";
import { CliError } from "../errors.js";
import { readStageOutputs, type StageOutputsRequest } from "../stage-outputs.js";
import {
  checkTable,
  configureTarget,
  resolveStageTarget,
  type StageOptions,
  type StageTarget,
} from "../stage-target.js";

/**
 * `localstays seed --stage <stage> [--hosts N] [--listings-per-host M] [--seed S]`: fills a
 * stage's table with deterministic demo hosts and listings (core/seed), written through the
 * core services. `--stage local` targets the local stack of `.localstays/outputs.json` (and
 * gives its demo host listings too); any other stage targets table `localstays-<stage>` in
 * AWS with the caller's credentials. Never prod: prod data is neither faked nor copied.
 *
 * Photos are uploaded, then processed by the stage's own processor, which the seed waits
 * for: every target has one (the running local stack's upload events; S3 -> SQS -> Lambda
 * in AWS), and processing them here as well would race it for each upload. Running the same
 * seed again after a failure finishes what the failed run left (core/seed/resume.ts).
 *
 * stdout: the number of listings per status (or JSON with --json); the rest goes to stderr.
 */
export interface SeedCommandOptions extends StageOptions {
  hosts?: number;
  listingsPerHost?: number;
  seed?: number;
  /** Existing hosts that get a listing in every status too. */
  intoHost?: string[];
  json?: boolean;
}

function refuseProd(what: string): never {
  throw new CliError(
    `Refusing to seed ${what}: prod data is never faked (nor copied anywhere). ` +
      "Seed `--stage local` or a personal or dev stage.",
  );
}

/**
 * A deployed stage's photo bucket and CDN URL: the Storage stack's outputs in CloudFormation
 * (stage-outputs.ts), so a partial deploy's `.sst/outputs.json` does not hide them.
 */
export async function stagePhotoBucket(
  target: Pick<StageTarget, "stage" | "region">,
  lookup: Pick<StageOutputsRequest, "fallbackFile" | "log"> = {},
): Promise<{ BucketName: string; ImagesUrl: string }> {
  const { stackName } = await import("../../../../stacks/stage.js");
  const { outputs } = await readStageOutputs({
    stage: target.stage,
    region: target.region,
    stacks: { Storage: ["BucketName", "ImagesUrl"] },
    otherwise: "or seed `--stage local`; the seed uploads its photos to the stage's bucket",
    ...lookup,
  });
  const storage = outputs[stackName(target.stage, "Storage")] ?? {};
  // readStageOutputs has checked that both are there.
  return { BucketName: storage.BucketName ?? "", ImagesUrl: storage.ImagesUrl ?? "" };
}

/**
 * Seeded listings get real photos, uploaded to the stage's photo bucket like the dashboard
 * does (core/seed/photos.ts): the local stack's s3rver, or the deployed stage's bucket.
 */
async function photoBucket(target: StageTarget, log: (line: string) => void) {
  if (target.outputs) {
    return {
      S3_ENDPOINT: target.outputs.S3Endpoint,
      BUCKET_NAME: target.outputs.BucketName,
      IMAGES_BASE_URL: target.outputs.ImagesUrl,
    };
  }
  const bucket = await stagePhotoBucket(target, { log });
  return { BUCKET_NAME: bucket.BucketName, IMAGES_BASE_URL: bucket.ImagesUrl };
}

/** The local demo host (the first demo user) gets listings too: its dashboard is then not empty. */
async function localDemoHost(outputs: Outputs, log: (line: string) => void) {
  const demo = outputs.DemoUsers[0];
  if (!demo) return undefined;
  const cognito = cognitoClientFor(outputs);
  try {
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: outputs.UserPoolId, Username: demo.email }),
    );
    const sub = user.UserAttributes?.find((a) => a.Name === "sub")?.Value;
    const hostId = sub ? await Host.hostIdOf(sub) : undefined;
    if (!hostId) log(`${demo.email} has no host record; not seeding listings for it.`);
    return hostId;
  } catch (error) {
    log(
      `Cannot look up ${demo.email} in cognito-local (${(error as Error).message}); skipping it.`,
    );
    return undefined;
  } finally {
    cognito.destroy();
  }
}

export async function seedStage(
  options: SeedCommandOptions,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<SeedResult> {
  const target = await resolveStageTarget(options, { refuseProd });
  const counts = {
    hosts: options.hosts ?? DEMO_DEFAULTS.hosts,
    listingsPerHost: options.listingsPerHost ?? DEMO_DEFAULTS.listingsPerHost,
    seed: options.seed ?? DEMO_DEFAULTS.seed,
  };
  configureTarget(target, await photoBucket(target, log));
  await checkTable(target, () => describeTable(), { refuseProd });

  const extraHostIds = [...(options.intoHost ?? [])];
  if (target.outputs) {
    const demoHost = await localDemoHost(target.outputs, log);
    if (demoHost && !extraHostIds.includes(demoHost)) extraHostIds.push(demoHost);
  }
  log(
    `Seeding table ${target.table} (${target.endpoint ? `local, ${target.endpoint}` : `AWS ${target.region}`}): ` +
      `${counts.hosts} hosts x ${counts.listingsPerHost} listings, seed ${counts.seed}` +
      (extraHostIds.length ? `, plus listings for ${extraHostIds.join(", ")}` : ""),
  );
  let result: SeedResult;
  try {
    result = await seedDemoData({
      ...counts,
      extraHostIds,
      photos: "stage",
      onListing: progressLog(log),
    });
  } catch (error) {
    throw seedFailure(error as Error, target);
  }
  const total = result.listings.length;
  const resumed = result.resumed ? ` (${result.resumed} of them finished from an earlier run)` : "";
  const skipped = result.skippedHosts
    ? `${result.skippedHosts === 1 ? "1 host" : `${result.skippedHosts} hosts`} had all ` +
      `their listings of seed ${result.seed} already, or listings of their own, and ` +
      `${result.skippedHosts === 1 ? "was" : "were"} left alone (another --seed adds new hosts)`
    : "";
  log(
    total
      ? `Seeded ${total} listings${resumed} for ${result.hosts} hosts in ${result.cities} cities in ${(result.ms / 1000).toFixed(1)} s${skipped ? `; ${skipped}` : ""}`
      : `Nothing seeded: ${skipped || "no hosts or listings asked for"}.`,
  );
  return result;
}

/** A line every few seconds while listings are written: a seed waits on photo processing. */
function progressLog(log: (line: string) => void, everyMs = 5000) {
  let last = performance.now();
  return (done: number, total: number) => {
    const now = performance.now();
    if (done === total || now - last < everyMs) return;
    last = now;
    log(`... ${done} of ${total} listings`);
  };
}

/** What stopped the seed, in words, and what to do about it. */
function seedFailure(error: Error, target: StageTarget): CliError {
  if (error instanceof NotFound) return new CliError(error.message);
  const processor = target.outputs
    ? "the local stack's photo processor (is `pnpm start` still running? its log shows processor errors)"
    : `the photo processor of stage ${target.stage} (its logs, and its uploads DLQ)`;
  const hint = error instanceof PhotosNotProcessed ? `; check ${processor}` : "";
  const cause = error.cause instanceof Error ? ` (${error.cause.name})` : "";
  return new CliError(
    `Seeding stopped: ${error.message}${cause}${hint}. What it wrote stays; run the same ` +
      "command again to finish the rest (it completes the listings of this seed that are " +
      "missing or unfinished, and writes none twice).",
  );
}

/** One line per status, then the total: `ONLINE 21`. */
export function formatSummary(result: SeedResult): string {
  const rows = [...Object.entries(result.byStatus), ["total", result.listings.length] as const];
  return rows
    .map(([status, n]) => `${String(status).padEnd(10)} ${String(n).padStart(4)}\n`)
    .join("");
}

function count(name: string, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}.`);
    }
    return n;
  };
}

export function registerSeedCommand(program: Command): void {
  program
    .command("seed")
    .description("Fill a stage with deterministic demo hosts and listings (never prod)")
    .requiredOption("--stage <stage>", '"local" (the local stack) or an AWS stage, e.g. dev1')
    .option(
      "--hosts <n>",
      `hosts to create (default ${DEMO_DEFAULTS.hosts})`,
      count("--hosts", LIMITS.hosts),
    )
    .option(
      "--listings-per-host <n>",
      `listings per host (default ${DEMO_DEFAULTS.listingsPerHost})`,
      count("--listings-per-host", LIMITS.listingsPerHost),
    )
    .option(
      "--seed <n>",
      `the same seed gives the same data (default ${DEMO_DEFAULTS.seed})`,
      count("--seed", Number.MAX_SAFE_INTEGER),
    )
    .option("--region <region>", "AWS stages: the region (default: the stage's, stacks/stage.ts)")
    .option("--outputs <file>", "--stage local: the local stack's outputs.json")
    .option(
      "--into-host <hostId>",
      "also give this existing host a listing in every status (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--json", "print the summary as JSON")
    .action(async (options: SeedCommandOptions) => {
      const result = await seedStage(options);
      if (options.json) {
        const { seed, hosts, skippedHosts, byStatus, cities, ms } = result;
        const summary = {
          seed,
          hosts,
          skippedHosts,
          listings: result.listings.length,
          byStatus,
          cities,
          ms,
        };
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } else {
        process.stdout.write(formatSummary(result));
      }
    });
}
