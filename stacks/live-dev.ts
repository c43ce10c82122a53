import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { VisibleError } from "sst/error.js";
import { stageSettings } from "./stage.js";

/**
 * `sst dev` (alias `start`) and `sst remove` refuse the stages only the pipeline changes
 * (StageSettings.pipelineOnly: staging, prod), before SST asks AWS for anything.
 *
 * Two checks, because SST resolves the stage in steps (node_modules/sst/project.js):
 * - sst.config.ts's `config(input)` runs first, with the CLI's parsed arguments: `input._[0]`
 *   is the command, `input.stage` only `--stage`. The stage may still come from SST_STAGE or
 *   `.sst/stage`, which SST reads after `config()`, so `stageBeforeConfig` reads them too.
 * - `stacks(app)` runs after SST resolved the stage (a personal stage typed at SST's prompt
 *   included), but `sst dev` and `sst remove` have called STS by then: the second line.
 *
 * `app.mode` alone cannot tell `sst remove` apart: `sst types` and `sst bind` also build the
 * stacks in mode "remove". `stacks()` therefore reads the command from the process's argv.
 */

type Env = Record<string, string | undefined>;

const LIVE_LAMBDA =
  "live Lambda would make every function of the stage, the Cognito trigger included, " +
  "run on this machine, and redeploy the stage in dev mode";

/** SST's commands that refuse a pipeline-only stage, and what each would do there. */
const HARMFUL: Record<string, string> = {
  dev: LIVE_LAMBDA,
  start: LIVE_LAMBDA,
  remove: "it would delete the stage's stacks",
};

/** Throws SST's VisibleError (message only, no stack trace) when `command` may not touch `stage`. */
export function refuseOnPipelineStage(
  command: string | undefined,
  stage: string | undefined,
  env: Env = process.env,
): void {
  if (!command || !stage || !Object.hasOwn(HARMFUL, command)) return;
  if (!stageSettings(stage, env).pipelineOnly) return;
  const live = command !== "remove";
  throw new VisibleError(
    `Refusing \`sst ${command}\` on stage "${stage}": ${HARMFUL[command]}.`,
    `"${stage}" changes only through the pipeline (docs/operations.md, "Stages").`,
    live
      ? "For live development use your personal stage (`pnpm sst dev --stage <your name>`) or dev1 " +
          "(`pnpm sst dev --stage dev1`)."
      : "A stage only the pipeline deploys is not removed from a laptop; see docs/operations.md.",
  );
}

/**
 * The stage SST will use, as far as it is known when `config()` runs: `--stage`, then
 * SST_STAGE, then the personal stage in `.sst/stage` (SST's own order); undefined when SST
 * is going to ask for one.
 */
export function stageBeforeConfig(
  input: { stage?: string; root?: string },
  env: Env = process.env,
  cwd: string = process.cwd(),
): string | undefined {
  if (input.stage) return input.stage;
  if (env.SST_STAGE) return env.SST_STAGE;
  const root = input.root ?? projectRoot(cwd);
  const file = root && path.join(root, ".sst", "stage");
  if (!file || !existsSync(file)) return undefined;
  return readFileSync(file, "utf8").trim() || undefined;
}

/** The nearest folder at or above `from` holding sst.config.ts (SST's findRoot). */
function projectRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "sst.config.ts"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** SST's global options that take a value (node_modules/sst/cli/program.js) and remove's --from. */
const VALUE_OPTIONS = new Set(["--stage", "--profile", "--region", "--role", "--from"]);

/**
 * The SST command of a process started as `sst <command> ...` (the first argument that is
 * neither an option nor an option's value); undefined for any other process (tests,
 * `pnpm synth`), whose argv[1] is not SST's CLI.
 */
export function sstCommand(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  // node_modules/.bin/sst runs node_modules/sst/cli/sst.js; a global install may be `sst`.
  if (!/[\\/]sst[\\/]cli[\\/]sst\.js$/.test(script) && path.basename(script) !== "sst")
    return undefined;
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("-")) return arg;
    if (VALUE_OPTIONS.has(arg)) i++;
  }
  return undefined;
}

/** Whether this process is SST's `sst dev` (or `sst start`): a live session that watches code. */
export function isLiveSession(argv: readonly string[] = process.argv): boolean {
  const command = sstCommand(argv);
  return command === "dev" || command === "start";
}

/** The check of `stacks(app)`, on the stage SST resolved. */
export function refuseInStacks(
  app: { mode: string; stage: string },
  argv: readonly string[] = process.argv,
  env: Env = process.env,
): void {
  // `sst diff --dev` synthesizes dev mode too, and only compares: let it through.
  if (app.mode === "dev" && sstCommand(argv) !== "diff")
    refuseOnPipelineStage("dev", app.stage, env);
  if (app.mode === "remove" && sstCommand(argv) === "remove")
    refuseOnPipelineStage("remove", app.stage, env);
}
