import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { APP_NAME } from "@localstays/core/app";
import type { Command } from "commander";
import { type Output, outputOf, resolveAwsStage } from "../aws-stage.js";
import { CliError } from "../errors.js";

/**
 * `localstays live-check --stage dev1`: the rule between the pipeline and a live session
 * (docs/operations.md, "dev1: the pipeline and a live session"). SST records the mode of a
 * stage's last deployment in its bootstrap bucket (`sst deploy`: "deploy", `sst dev`: "dev";
 * node_modules/sst/stacks/app-metadata.js). When dev1's is "dev", somebody's `sst dev` made
 * it last and may still be running: the deploy job stops instead of overwriting the session
 * (SST itself skips its own prompt in CI). The developer hands dev1 back with
 * `sst deploy --stage dev1`, which records "deploy". It records the last mode, not whether a
 * session is still open: a session that ended without the hand-back also stops the pipeline,
 * on purpose (its stubs point at a laptop that is gone).
 */
export type RecordedMode = "dev" | "deploy" | "none";

/** SST v2's bootstrap stack (no `bootstrap.stackName` in sst.config.ts) and its output. */
const BOOTSTRAP_STACK = "SSTBootstrap";
const BUCKET_OUTPUT = "BucketName";

export const metadataKey = (stage: string) => `appMetadata/app.${APP_NAME}/stage.${stage}.json`;

export interface LiveCheckClients {
  cloudFormation: CloudFormationClient;
  s3: S3Client;
}

/** The mode SST recorded for the stage's last deployment; "none": never deployed by SST here. */
export async function recordedMode(
  stage: string,
  { cloudFormation, s3 }: LiveCheckClients,
): Promise<RecordedMode> {
  let bucket: string | undefined;
  try {
    const { Stacks } = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: BOOTSTRAP_STACK }),
    );
    bucket = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === BUCKET_OUTPUT)?.OutputValue;
  } catch (error) {
    // SST's own test for "not bootstrapped" (node_modules/sst/bootstrap.js).
    if (
      error instanceof Error &&
      error.message === `Stack with id ${BOOTSTRAP_STACK} does not exist`
    )
      return "none";
    throw error;
  }
  if (!bucket) return "none";
  let body: string | undefined;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: metadataKey(stage) }));
    body = await object.Body?.transformToString();
  } catch (error) {
    if (error instanceof Error && error.name === "NoSuchKey") return "none";
    throw error;
  }
  const mode = (JSON.parse(body ?? "{}") as { mode?: unknown }).mode;
  if (mode === "dev" || mode === "deploy") return mode;
  throw new CliError(
    `SST's record of stage ${stage} (s3://${bucket}/${metadataKey(stage)}) has mode ` +
      `${JSON.stringify(mode)}, neither "dev" nor "deploy".`,
  );
}

export interface LiveCheckOptions {
  stage: string;
  region?: string;
}

/** Exit 1 (CliError) when the stage's last deployment was `sst dev`. */
export async function liveCheck(
  options: LiveCheckOptions,
  deps: Partial<LiveCheckClients & Output> = {},
): Promise<RecordedMode> {
  const { print } = outputOf(deps);
  const target = await resolveAwsStage(
    options,
    "live-check reads SST's record of an AWS stage; the local stack has none.",
  );
  const clients = {
    cloudFormation: deps.cloudFormation ?? new CloudFormationClient({ region: target.region }),
    s3: deps.s3 ?? new S3Client({ region: target.region }),
  };
  const mode = await recordedMode(target.stage, clients);
  if (mode === "dev") {
    throw new CliError(
      `stage ${target.stage} was last deployed by \`sst dev\` (a live session, maybe still ` +
        "running): not overwriting it. Whoever ran it hands the stage back with " +
        `\`pnpm sst deploy --stage ${target.stage}\` from the ${target.stage} branch; then ` +
        "re-run this job (docs/operations.md).",
    );
  }
  print(
    mode === "deploy"
      ? `OK: stage ${target.stage} was last deployed by \`sst deploy\`.`
      : `OK: SST has no record of stage ${target.stage} in ${target.region} (first deploy).`,
  );
  return mode;
}

export function registerLiveCheckCommand(program: Command): void {
  program
    .command("live-check")
    .description("Fail when the stage's last deployment was `sst dev` (a live session)")
    .requiredOption("--stage <stage>", "an AWS stage, e.g. dev1")
    .option("--region <region>", "the region (default: the stage's, stacks/stage.ts)")
    .action(async (options: LiveCheckOptions) => {
      await liveCheck(options);
    });
}
