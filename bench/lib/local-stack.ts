import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type LocalStack, startLocalStack } from "../../packages/local/src/stack.js";
import { killNow } from "../../packages/local/src/stale-processes.js";
import { fixed } from "./format.js";
import { log } from "./log.js";

/**
 * Runs `fn` against a local stack of its own: free ports and a data directory
 * `<os temp dir>/<name>`, so it never touches a running `pnpm start`. The stack stops (no Java
 * or cognito-local left) and the directory goes when `fn` settles, on Ctrl-C or SIGTERM (a
 * second one forces the exit), and, as a last resort, the children are killed on any exit.
 *
 * One data directory per `name`, wiped at start: if a run dies too hard to clean up (a
 * SIGKILL; tsx's CLI sends one when the script does not acknowledge a signal within 30 ms,
 * which a loaded event loop may not), the next run's startLocalStack finds the pids it
 * recorded there and stops that run's Java and cognito-local. A second run with the same
 * name at the same time is refused by the same check.
 */
export async function withLocalStack(
  name: string,
  fn: (stack: LocalStack) => Promise<void>,
): Promise<void> {
  const dataDir = join(tmpdir(), name);
  let stack: LocalStack | undefined;
  let stopping: Promise<void> | undefined;
  let stopped = false;
  const stop = () => {
    stopping ??= (stack?.stop() ?? Promise.resolve()).then(() => {
      stopped = true;
      rmSync(dataDir, { recursive: true, force: true });
    });
    return stopping;
  };
  // Whatever ends the process (an error, a second Ctrl-C), the children must not outlive it.
  process.once("exit", () => {
    if (stack && !stopped) killNow(stack.pids);
  });
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log("interrupted: stopping the local stack (again to force)");
    if (stack) void stop().finally(() => process.exit(130));
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);

  const startedAt = performance.now();
  try {
    stack = await startLocalStack({ dataDir, fresh: true, ports: "free", quiet: true });
    if (interrupted) return;
    log(`local stack up in ${fixed((performance.now() - startedAt) / 1000)} s (${dataDir})`);
    await fn(stack);
  } finally {
    await stop();
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    log(`stack stopped; total ${fixed((performance.now() - startedAt) / 1000)} s`);
  }
}
