import { InvalidArgumentError } from "commander";
import { CliError } from "./errors.js";
import { resolveStageTarget, type StageTarget } from "./stage-target.js";

/** What the commands that read a deployed AWS stage (verify, watch) share. */
export interface Output {
  /** stdout: the command's result. */
  print: (line: string) => void;
  /** stderr: progress and messages. */
  log: (line: string) => void;
}

export function outputOf(deps: Partial<Output>): Output {
  return {
    print: deps.print ?? ((line) => process.stdout.write(`${line}\n`)),
    log: deps.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

/** The stage's region (stacks/stage.ts, or --region); `--stage local` is refused with `why`. */
export async function resolveAwsStage(
  options: { stage: string; region?: string },
  why: string,
): Promise<StageTarget> {
  if (options.stage.trim() === "local") throw new CliError(why);
  return resolveStageTarget({
    stage: options.stage,
    ...(options.region ? { region: options.region } : {}),
  });
}

/** A commander parser for a whole number within bounds (`--minutes`, `--timeout`). */
export function wholeNumber(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}
