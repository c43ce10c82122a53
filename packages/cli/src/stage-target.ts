import type { ConfigInput } from "@localstays/core/config";
import { configure, type Runtime } from "@localstays/core/runtime";
import { tableName } from "@localstays/core/table";
import { type Outputs, OutputsMissing, readOutputs } from "@localstays/local/outputs";
import { S3RVER_CREDENTIALS } from "@localstays/local/s3";
import { CliError, isConnectionRefused } from "./errors.js";

/**
 * Which table a command's `--stage` means, for every command that works on a stage's data.
 * `--stage local` is the local stack of `.localstays/outputs.json` (or `--outputs`); any
 * other stage is table `localstays-<stage>` in AWS, in the stage's region (stacks/stage.ts)
 * unless `--region` says otherwise, with the caller's AWS credentials.
 *
 * Prod is recognised by the stage name (any case or spelling), by the stage's settings, by
 * a table name ending in `-prod`, and by the table's account once it is described. A command
 * that must never touch prod passes `refuseProd`, which is called at the first sign of it;
 * others get `prod: true` on the target.
 */
export interface StageOptions {
  stage: string;
  /** AWS stages only; default: the stage's region (stacks/stage.ts). */
  region?: string;
  /** Local stage only; defaults to `<repo>/.localstays/outputs.json`. */
  outputs?: string;
}

export interface StageTarget {
  stage: string;
  table: string;
  region: string;
  /** DynamoDB Local's endpoint; undefined for AWS. */
  endpoint?: string;
  outputs?: Outputs;
  prod: boolean;
  /**
   * The account a named AWS stage lives in (stacks/stage.ts), and the variable that sets it;
   * undefined for local and personal stages (any account but prod's).
   */
  account?: { id: string; variable: string };
}

export interface ProdGuard {
  /** Throws: the command refuses prod. Without it, prod is allowed and marked. */
  refuseProd?: (what: string) => never;
}

// Prod by name, whatever the case or spelling, before the stage settings are even read.
const isProdName = (name: string) => /^prod(uction)?$/i.test(name.trim());
const isProdTable = (name: string) => /-prod(uction)?$/i.test(name.trim());

export async function resolveStageTarget(
  options: StageOptions,
  guard: ProdGuard = {},
): Promise<StageTarget> {
  const stage = options.stage.trim();
  let prod = isProdName(stage);
  if (prod) guard.refuseProd?.(`stage "${stage}"`);
  if (!/^[A-Za-z0-9-]+$/.test(stage)) {
    throw new CliError(`"${stage}" is not a stage name (letters, digits and dashes).`);
  }
  let target: StageTarget;
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
      prod,
    };
  } else {
    if (options.outputs) throw new CliError("--outputs is for --stage local only.");
    // Imported here, not at the top: it loads aws-cdk-lib, which other commands do not need.
    const { accountVariable, stageSettings } = await import("../../../stacks/stage.js");
    const settings = stageSettings(stage);
    if (settings.environment === "prod") {
      prod = true;
      guard.refuseProd?.(`stage "${stage}"`);
    }
    target = { stage, table: tableName(stage), region: options.region ?? settings.region, prod };
    if (!settings.personal && settings.account) {
      target.account = { id: settings.account, variable: accountVariable(settings.environment) };
    }
  }
  if (isProdTable(target.table)) {
    target.prod = true;
    guard.refuseProd?.(`table ${target.table}`);
  }
  return target;
}

/**
 * Configures core for the target (this command's process runtime): its stage, region and
 * table, and off AWS the endpoint and the stand-ins' keys, so a developer's AWS profile never
 * reaches them. `extra` adds what a command needs beyond the table (the photo bucket).
 */
export function configureTarget(
  target: StageTarget,
  extra: Partial<Omit<ConfigInput, "STAGE" | "AWS_REGION" | "TABLE_NAME">> = {},
): Runtime {
  return configure(
    {
      STAGE: target.stage,
      AWS_REGION: target.region,
      TABLE_NAME: target.table,
      ...(target.endpoint ? { DYNAMODB_ENDPOINT: target.endpoint } : {}),
      ...extra,
    },
    target.endpoint ? { credentials: S3RVER_CREDENTIALS } : {},
  );
}

/**
 * Whether the table is there and readable (`describe` is a DescribeTable), with errors that
 * say what to do. Returns the account in the table's ARN for the caller's safety checks; it
 * is compared, never printed.
 */
export async function checkTable(
  target: StageTarget,
  describe: () => Promise<{ account: string | undefined }>,
  guard: ProdGuard = {},
): Promise<{ account: string | undefined }> {
  try {
    const { account } = await describe();
    // Defence in depth: whatever the stage is called, not the prod account.
    const prodAccount = process.env.LOCALSTAYS_PROD_ACCOUNT_ID;
    if (prodAccount && account === prodAccount) {
      target.prod = true;
      guard.refuseProd?.("a table in the prod account");
    }
    // A named stage's table in another account is another deployment than the stage's.
    const expected = target.account;
    if (expected && account && account !== expected.id) {
      throw new CliError(
        `Table ${target.table} is in another account than stage ${target.stage}'s ` +
          `(${expected.variable}): check the AWS credentials of this shell, or set ` +
          `${expected.variable} to the stage's 12-digit account id.`,
      );
    }
    return { account };
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
