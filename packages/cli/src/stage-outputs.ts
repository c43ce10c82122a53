import { existsSync } from "node:fs";
import type { Output } from "@aws-sdk/client-cloudformation";
import { CliError } from "./errors.js";
import { defaultSstOutputsFile, readSstOutputs, type SstOutputs } from "./sst-outputs.js";

/**
 * The outputs of a deployed stage's stacks (ApiUrl, UserPoolClientId, BucketName, ...), for
 * the commands that work on a deployed stage (smoke, seed).
 *
 * Read from CloudFormation (DescribeStacks of each stack, named by stacks/stage.ts), which
 * always describes the stage as it is deployed now, whoever deployed it. `.sst/outputs.json`
 * is only what the LAST `sst deploy` from this checkout wrote, and `sst deploy Api` rewrites
 * it with that one stack, so it is not trusted first. It is the fallback when CloudFormation
 * cannot be asked (no or expired credentials, access denied, no network) and only if it holds
 * every output needed; a missing stack is final (the file would describe a removed stage).
 */
export interface StageOutputsRequest {
  stage: string;
  /** The stage's region (stacks/stage.ts) unless the caller says otherwise. */
  region: string;
  /** Stack id (`Api`, as in stacks/stage.ts's stackName) -> outputs it must have. */
  stacks: Readonly<Record<string, readonly string[]>>;
  /** What to do instead, said when nothing works: "or pass --url". */
  otherwise: string;
  /** The fallback file; defaults to `<repo>/.sst/outputs.json`. */
  fallbackFile?: string;
  log?: (line: string) => void;
}

export interface StageOutputs {
  /** Outputs by CloudFormation stack name, the shape of `.sst/outputs.json`. */
  outputs: SstOutputs;
  /** Where they came from, for messages: `CloudFormation (eu-north-1)` or a file. */
  from: string;
}

/** Errors that say "CloudFormation cannot be asked from here", not "the stage is not there". */
const UNREACHABLE = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "AccessDenied",
  "AccessDeniedException",
]);
const NETWORK = new Set(["ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ENETUNREACH", "ECONNREFUSED"]);

function cannotAsk(error: unknown): boolean {
  const { name, code } = error as { name?: string; code?: string };
  return UNREACHABLE.has(name ?? "") || NETWORK.has(code ?? "");
}

// SST leaves these out of `.sst/outputs.json` (sst/stacks/monitor.js filterOutputs): CDK's
// cross-stack exports and SST's own metadata.
const isAppOutput = (key: string) => !key.startsWith("Export") && key !== "SSTMetadata";

function byKey(outputs: readonly Output[] = []): Record<string, string> {
  return Object.fromEntries(
    outputs
      .filter((o) => o.OutputKey && o.OutputValue !== undefined && isAppOutput(o.OutputKey))
      .map((o) => [o.OutputKey as string, o.OutputValue as string]),
  );
}

/** The first needed output the outputs lack, as `LocalstaysStagingApiStack's ApiUrl`. */
function firstMissing(
  outputs: SstOutputs,
  wanted: readonly (readonly [string, readonly string[]])[],
): string | undefined {
  for (const [name, keys] of wanted) {
    const key = keys.find((k) => !outputs[name]?.[k]);
    if (key) return `${name}'s ${key}`;
  }
  return undefined;
}

export async function readStageOutputs(request: StageOutputsRequest): Promise<StageOutputs> {
  const { stage, region, otherwise, log = () => {} } = request;
  const fallbackFile = request.fallbackFile ?? defaultSstOutputsFile;
  // Imported here: stacks/stage.ts loads aws-cdk-lib, and the SDK client is big; the local
  // stage and the prod refusal need neither.
  const [{ stackName }, { CloudFormationClient, DescribeStacksCommand }] = await Promise.all([
    import("../../../stacks/stage.js"),
    import("@aws-sdk/client-cloudformation"),
  ]);
  const wanted = Object.entries(request.stacks).map(
    ([id, keys]) => [stackName(stage, id), keys] as const,
  );
  const client = new CloudFormationClient({ region });
  const from = `CloudFormation (${region})`;
  const outputs: SstOutputs = {};
  try {
    for (const [name] of wanted) {
      const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: name }));
      outputs[name] = byKey(Stacks[0]?.Outputs);
    }
  } catch (error) {
    const { name, message } = error as Error;
    if (name === "ValidationError" && /does not exist/.test(message)) {
      throw new CliError(
        `Stage ${stage} is not deployed in ${region}: ${message}. Deploy it first ` +
          `(\`pnpm sst deploy --stage ${stage}\`), pass --region, ${otherwise}.`,
      );
    }
    if (!cannotAsk(error)) throw error;
    const reason = `${name}: ${message}`;
    const file = existsSync(fallbackFile) ? readSstOutputs(fallbackFile, otherwise) : undefined;
    const lacks = file ? firstMissing(file, wanted) : "everything";
    if (file && !lacks) {
      log(
        `Cannot read stage ${stage}'s outputs from ${from} (${reason}); using ${fallbackFile}, ` +
          "the last deploy from this checkout.",
      );
      return { outputs: file, from: fallbackFile };
    }
    throw new CliError(
      `Cannot read stage ${stage}'s outputs from ${from} with the current AWS credentials ` +
        `(${reason}), and ${fallbackFile} ${file ? `has no ${lacks}` : "does not exist"}. ` +
        `Sign in to the stage's account (e.g. \`aws sso login\`), ${otherwise}.`,
    );
  } finally {
    client.destroy();
  }
  const lacks = firstMissing(outputs, wanted);
  if (lacks) {
    throw new CliError(
      `${from} has no ${lacks}: stage ${stage} is not fully deployed. Deploy it ` +
        `(\`pnpm sst deploy --stage ${stage}\`), ${otherwise}.`,
    );
  }
  return { outputs, from };
}
