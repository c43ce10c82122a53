import {
  CloudFormationClient,
  paginateListStacks,
  type StackStatus,
} from "@aws-sdk/client-cloudformation";
import { type Command, InvalidArgumentError } from "commander";
import { stackName } from "../../../../stacks/stage.js";
import { type Output, outputOf, resolveAwsStage, wholeNumber } from "../aws-stage.js";
import { CliError } from "../errors.js";

/**
 * `localstays preview-limit --stage pr-42 --max 5`: preview.yml's check before it deploys a
 * pull request's preview stage. A preview exists while its first stack (Params, which every
 * other stack follows) exists in CloudFormation; that stack is `LocalstaysPr-<n>ParamsStack`
 * (stacks/stage.ts stackName). A new preview may be deployed while fewer than --max others
 * exist; an existing one is always updated. Closing a pull request removes its preview.
 */
export const PREVIEW_STAGE = /^pr-([1-9]\d*)$/;

/** Every status but DELETE_COMPLETE: a stack in any of them still counts (and costs). */
const LIVE: StackStatus[] = [
  "CREATE_IN_PROGRESS",
  "CREATE_FAILED",
  "CREATE_COMPLETE",
  "ROLLBACK_IN_PROGRESS",
  "ROLLBACK_FAILED",
  "ROLLBACK_COMPLETE",
  "DELETE_IN_PROGRESS",
  "DELETE_FAILED",
  "UPDATE_IN_PROGRESS",
  "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_COMPLETE",
  "UPDATE_FAILED",
  "UPDATE_ROLLBACK_IN_PROGRESS",
  "UPDATE_ROLLBACK_FAILED",
  "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
  "UPDATE_ROLLBACK_COMPLETE",
  "REVIEW_IN_PROGRESS",
  "IMPORT_IN_PROGRESS",
  "IMPORT_COMPLETE",
  "IMPORT_ROLLBACK_IN_PROGRESS",
  "IMPORT_ROLLBACK_FAILED",
  "IMPORT_ROLLBACK_COMPLETE",
];

/** The preview stages (`pr-<n>`) with a stack in the account and region, sorted by number. */
export async function previewStages(client: CloudFormationClient): Promise<string[]> {
  // stackName("pr-0", "Params") is LocalstaysPr-0ParamsStack: the number's place in it.
  const [before, after] = stackName("pr-0", "Params").split("Pr-0");
  const pattern = new RegExp(`^${before}Pr-(\\d+)${after}$`);
  const found = new Set<number>();
  for await (const page of paginateListStacks({ client }, { StackStatusFilter: LIVE })) {
    for (const summary of page.StackSummaries ?? []) {
      const n = pattern.exec(summary.StackName ?? "")?.[1];
      if (n) found.add(Number(n));
    }
  }
  return [...found].sort((a, b) => a - b).map((n) => `pr-${n}`);
}

export interface PreviewLimitOptions {
  stage: string;
  max: number;
  region?: string;
}

export async function previewLimit(
  options: PreviewLimitOptions,
  deps: Partial<Output> & { cloudFormation?: CloudFormationClient } = {},
): Promise<string[]> {
  const { print } = outputOf(deps);
  if (!PREVIEW_STAGE.test(options.stage))
    throw new CliError(`${options.stage} is not a preview stage (pr-<pull request number>).`);
  const target = await resolveAwsStage(options, "previews live in AWS.");
  const client = deps.cloudFormation ?? new CloudFormationClient({ region: target.region });
  const existing = await previewStages(client);
  if (existing.includes(options.stage)) {
    print(`OK: ${options.stage} exists; updating it (${existing.length} previews).`);
    return existing;
  }
  if (existing.length >= options.max) {
    throw new CliError(
      `${existing.length} previews exist (${existing.join(", ")}), the limit is ${options.max}: ` +
        `no preview for ${options.stage}. Closing a pull request removes its preview; then ` +
        "re-run this job.",
    );
  }
  print(`OK: ${existing.length} of ${options.max} previews exist; deploying ${options.stage}.`);
  return existing;
}

export function registerPreviewLimitCommand(program: Command): void {
  program
    .command("preview-limit")
    .description("Fail when a new preview stage (pr-N) would exceed the number allowed")
    .requiredOption("--stage <stage>", "the pull request's preview stage, pr-<number>", (value) => {
      if (!PREVIEW_STAGE.test(value)) throw new InvalidArgumentError("must be pr-<number>.");
      return value;
    })
    .requiredOption("--max <n>", "previews allowed at once", wholeNumber("--max", 1, 50))
    .option("--region <region>", "the region (default: the stage's, stacks/stage.ts)")
    .action(async (options: PreviewLimitOptions) => {
      await previewLimit(options);
    });
}
