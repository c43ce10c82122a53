import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { resetConfig } from "@localstays/core/config";
// The generator is pure; the rest of core/seed binds the table when imported (see bindCore),
// so only its types are imported statically.
import type { SeedResult } from "@localstays/core/seed";
import { DEMO_DEFAULTS, LIMITS } from "@localstays/core/seed/generate";
import { tableName } from "@localstays/core/table";
import { type Outputs, OutputsMissing, readOutputs } from "@localstays/local/outputs";
import { S3RVER_CREDENTIALS } from "@localstays/local/s3";
import { cognitoClientFor } from "@localstays/local/sign-in";
import { type Command, InvalidArgumentError } from "commander";
import { CliError, isConnectionRefused } from "../errors.js";

/**
 * `localstays seed --stage <stage> [--hosts N] [--listings-per-host M] [--seed S]`: fills a
 * stage's table with deterministic demo hosts and listings (core/seed), written through the
 * core services. `--stage local` targets the local stack of `.localstays/outputs.json` (and
 * gives its demo host listings too); any other stage targets table `localstays-<stage>` in
 * AWS with the caller's credentials. Never prod: prod data is neither faked nor copied.
 *
 * stdout: the number of listings per status (or JSON with --json); the rest goes to stderr.
 */
export interface SeedCommandOptions {
  stage: string;
  hosts?: number;
  listingsPerHost?: number;
  seed?: number;
  /** AWS stages only; default: the stage's region (stacks/stage.ts). */
  region?: string;
  /** Local stage only; defaults to `<repo>/.localstays/outputs.json`. */
  outputs?: string;
  /** Existing hosts that get a listing in every status too. */
  intoHost?: string[];
  json?: boolean;
}

// Prod by name, whatever the case or spelling, before the stage settings are even read.
const isProd = (name: string) => /^prod(uction)?$/i.test(name.trim());
const isProdTable = (name: string) => /-prod(uction)?$/i.test(name.trim());

function refuseProd(what: string): never {
  throw new CliError(
    `Refusing to seed ${what}: prod data is never faked (nor copied anywhere). ` +
      "Seed `--stage local` or a personal or dev stage.",
  );
}

interface Target {
  stage: string;
  table: string;
  region: string;
  /** DynamoDB Local's endpoint; undefined for AWS. */
  endpoint?: string;
  outputs?: Outputs;
}

async function resolveTarget(options: SeedCommandOptions): Promise<Target> {
  const stage = options.stage.trim();
  if (isProd(stage)) refuseProd(`stage "${stage}"`);
  if (!/^[A-Za-z0-9-]+$/.test(stage)) {
    throw new CliError(`"${stage}" is not a stage name (letters, digits and dashes).`);
  }
  let target: Target;
  if (stage === "local") {
    if (options.region)
      throw new CliError("--region is for AWS stages; the local stack's comes from its outputs.");
    let outputs: Outputs;
    try {
      outputs = readOutputs(options.outputs);
    } catch (error) {
      if (error instanceof OutputsMissing) throw new CliError(error.message);
      throw error;
    }
    target = {
      stage,
      table: outputs.TableName,
      region: outputs.Region,
      endpoint: outputs.DynamoDbEndpoint,
      outputs,
    };
  } else {
    if (options.outputs) throw new CliError("--outputs is for --stage local only.");
    // Imported here, not at the top: it loads aws-cdk-lib, which other commands do not need.
    const { stageSettings } = await import("../../../../stacks/stage.js");
    const settings = stageSettings(stage);
    if (settings.environment === "prod") refuseProd(`stage "${stage}"`);
    target = { stage, table: tableName(stage), region: options.region ?? settings.region };
  }
  if (isProdTable(target.table)) refuseProd(`table ${target.table}`);
  return target;
}

/**
 * Points core at the target. Core binds its table and DynamoDB client when first imported,
 * so the environment is set before the dynamic import, and what was bound is checked after
 * it (a process that imported core earlier keeps its first table).
 */
async function bindCore(target: Target) {
  const env = process.env;
  env.STAGE = target.stage;
  env.AWS_REGION = target.region;
  env.AWS_DEFAULT_REGION = target.region;
  env.TABLE_NAME = target.table;
  if (target.endpoint) {
    // Keys for the local stand-ins, so a developer's AWS profile never reaches them.
    env.DYNAMODB_ENDPOINT = target.endpoint;
    env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
  } else {
    delete env.DYNAMODB_ENDPOINT;
  }
  resetConfig();
  const core = await import("@localstays/core/seed");
  const bound = await core.boundTarget();
  const wanted = target.endpoint ? new URL(target.endpoint).origin : undefined;
  if (bound.table !== target.table || bound.endpoint !== wanted) {
    throw new CliError(
      `This process already writes to table ${bound.table} at ${bound.endpoint ?? "AWS"}, ` +
        `not ${target.table} at ${wanted ?? "AWS"}; run the command in a process of its own.`,
    );
  }
  return core;
}

/** Whether the table is there and readable, with errors that say what to do. */
async function checkTable(core: Awaited<ReturnType<typeof bindCore>>, target: Target) {
  try {
    const { account } = await core.describeTable();
    // Defence in depth: whatever the stage is called, not the prod account. (The account is
    // compared, never printed.)
    const prodAccount = process.env.LOCALSTAYS_PROD_ACCOUNT_ID;
    if (prodAccount && account === prodAccount) refuseProd("a table in the prod account");
  } catch (error) {
    if (error instanceof CliError) throw error;
    const name = (error as Error).name;
    if (isConnectionRefused(error)) {
      throw new CliError(
        `The local stack is not running: nothing answers at ${target.endpoint}. Start it with \`pnpm start\`.`,
      );
    }
    if (name === "ResourceNotFoundException") {
      throw new CliError(
        target.endpoint
          ? `DynamoDB Local at ${target.endpoint} has no table ${target.table}: restart the local stack (\`pnpm start\`).`
          : `There is no table ${target.table} in ${target.region}: deploy stage ${target.stage} first, or pass --region.`,
      );
    }
    if (
      name === "CredentialsProviderError" ||
      name === "UnrecognizedClientException" ||
      name === "ExpiredTokenException" ||
      name === "AccessDeniedException"
    ) {
      throw new CliError(
        `Cannot read table ${target.table} in ${target.region} with the current AWS credentials (${name}: ${(error as Error).message}).`,
      );
    }
    throw error;
  }
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
    const { Host } = await import("@localstays/core");
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
  const target = await resolveTarget(options);
  const counts = {
    hosts: options.hosts ?? DEMO_DEFAULTS.hosts,
    listingsPerHost: options.listingsPerHost ?? DEMO_DEFAULTS.listingsPerHost,
    seed: options.seed ?? DEMO_DEFAULTS.seed,
  };
  const core = await bindCore(target);
  await checkTable(core, target);

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
    result = await core.seedDemoData({ ...counts, extraHostIds });
  } catch (error) {
    if ((error as Error).name === "NotFound") throw new CliError((error as Error).message);
    throw error;
  }
  const total = result.listings.length;
  const skipped = result.skippedHosts
    ? `${result.skippedHosts} hosts already had listings and were left alone (another --seed adds new ones)`
    : "";
  log(
    total
      ? `Seeded ${total} listings for ${result.hosts} hosts in ${result.cities} cities in ${(result.ms / 1000).toFixed(1)} s${skipped ? `; ${skipped}` : ""}`
      : `Nothing seeded: ${skipped || "no hosts or listings asked for"}.`,
  );
  return result;
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
