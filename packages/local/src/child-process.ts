import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { waitForPort } from "./ports.js";

/** A stand-in the local stack runs: where to reach it and how to stop it. */
export interface RunningService {
  endpoint: string;
  /** The child process, when the service runs in one (tests check nothing is left behind). */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * Resolves once `child` listens on `port`. If it exits first, or never listens, it is
 * killed and the error carries what it printed (`output()`), so a failed start says why.
 */
export async function waitUntilListening(
  child: ChildProcess,
  options: { port: number; name: string; output: () => string; timeoutMs?: number },
): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(
        new Error(
          `${options.name} exited with code ${code} before it was ready:\n${options.output()}`,
        ),
      ),
    ),
  );
  exited.catch(() => {});
  try {
    await Promise.race([
      waitForPort(options.port, options.timeoutMs ?? 20_000, options.name),
      exited,
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`: no stand-in outlives the stack. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The end of a service's log file: what a failed start printed. */
export function safeTail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}
