import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { CliError } from "./errors.js";

/**
 * SST v2's `sst deploy` writes `{ "<CloudFormation stack name>": { "<OutputKey>": value } }`
 * for the stacks of the last deploy from this checkout (sst/cli/commands/deploy.js): the API
 * URL, the user pool client, the photo bucket and the images URL of a deployed stage.
 */
export type SstOutputs = Record<string, Record<string, string> | undefined>;

export const defaultSstOutputsFile = join(repoRoot, ".sst/outputs.json");

export function readSstOutputs(file: string, otherwise: string): SstOutputs {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(
      `No SST outputs at ${file}: deploy the stage from this checkout first (\`pnpm sst deploy --stage <stage>\`), ${otherwise}.`,
    );
  }
  try {
    return JSON.parse(text) as SstOutputs;
  } catch {
    throw new CliError(`${file} is not JSON.`);
  }
}
