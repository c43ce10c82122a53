import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "@localstays/local/paths";

const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a developer runs it, minus pnpm: exit code, stdout and stderr. A run that hangs
 * is stopped before the slowest test's timeout, so its output still reaches the report.
 */
export function cli(...args: string[]): Promise<CliRun> {
  return run(join(repoRoot, "node_modules/.bin/tsx"), ["packages/cli/src/main.ts", ...args], {
    cwd: repoRoot,
    timeout: 200_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliRun) => error,
  );
}
