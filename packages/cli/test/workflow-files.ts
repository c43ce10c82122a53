import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@localstays/local/paths";
import { parse } from "yaml";

/**
 * Test support for the GitHub Actions files: their text and parsed shape, and a way to run one
 * step's `run:` script as the runner would (bash, the step's working directory, env given by
 * the test), so the workflow tests check what the scripts do, not only how they read.
 */

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: string | Record<string, string>;
  env?: Record<string, string>;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress": boolean | string };
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: Step[];
}
export interface Workflow {
  on: Record<string, { inputs?: Record<string, Record<string, unknown>> } | null>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
export interface Action {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps?: Step[] };
}

export const WORKFLOWS = [
  ".github/workflows/ci.yml",
  ".github/workflows/deploy.yml",
  ".github/workflows/deploy-stage.yml",
  ".github/workflows/rollback.yml",
  ".github/workflows/preview.yml",
] as const;
export const ACTIONS = [".github/actions/notify-failure/action.yml"] as const;
export type WorkflowFile = (typeof WORKFLOWS)[number];

export const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");
export const source = Object.fromEntries(
  [...WORKFLOWS, ...ACTIONS].map((file) => [file, read(file)]),
) as Record<WorkflowFile | (typeof ACTIONS)[number], string>;
const workflow = (file: WorkflowFile) => parse(source[file]) as Workflow;

export const ci = workflow(".github/workflows/ci.yml");
export const deploy = workflow(".github/workflows/deploy.yml");
export const deployStage = workflow(".github/workflows/deploy-stage.yml");
export const rollback = workflow(".github/workflows/rollback.yml");
export const preview = workflow(".github/workflows/preview.yml");
export const workflows: Record<WorkflowFile, Workflow> = {
  ".github/workflows/ci.yml": ci,
  ".github/workflows/deploy.yml": deploy,
  ".github/workflows/deploy-stage.yml": deployStage,
  ".github/workflows/rollback.yml": rollback,
  ".github/workflows/preview.yml": preview,
};
export const notifyAction = parse(source[ACTIONS[0]]) as Action;

/** `${{ <expression> }}`, written without tripping the template-string lint. */
export const gh = (expression: string) => `\${{ ${expression} }}`;

export function job(workflow: Workflow, name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

export function step(steps: Step[] | undefined, id: string): Step {
  const found = steps?.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

export const runs = (j: Job) => (j.steps ?? []).flatMap((s) => (s.run ? [s.run] : []));
export const stepIndex = (j: Job, match: (s: Step) => boolean) => (j.steps ?? []).findIndex(match);
/** The first step whose script contains `command`. */
export const runIndex = (j: Job, command: string) =>
  stepIndex(j, (s) => s.run?.includes(command) ?? false);
/** The first step that uses `action` (`owner/repo`). */
export const usesIndex = (j: Job, action: string) =>
  stepIndex(j, (s) => s.uses?.startsWith(`${action}@`) ?? false);

/** The `run:` script of a step, which must have one. */
export function script(s: Step): string {
  if (!s.run) throw new Error(`step ${s.id ?? s.name} runs no script`);
  return s.run;
}

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a step's script with bash (GitHub's `shell: bash` flags: -e, pipefail), in `cwd`, with
 * PATH and HOME from this process and only the given variables besides, so nothing of the
 * developer's or CI's environment decides the result.
 */
export async function runScript(
  text: string,
  cwd: string,
  env: Record<string, string>,
): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", "-c", text],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
        timeout: 20_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}
