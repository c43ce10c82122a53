import { existsSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Child processes of a stack that was killed too hard to clean up (`kill -9`, a crashed
 * terminal) would hold the ports and the database files. Their pids are kept in the data
 * directory with the pid of the stack that owns them; the next start stops those that
 * still run *for this data directory* — checked through /proc (Linux), so an unrelated
 * process that reused a pid is never touched — unless their owner is still alive, which
 * means a second `pnpm start` on the same data directory.
 */
interface PidFile {
  owner: number;
  children: number[];
}

function pidFile(dataDir: string) {
  return join(dataDir, "pids.json");
}

export function recordPids(dataDir: string, children: number[]): void {
  const record: PidFile = { owner: process.pid, children };
  writeFileSync(pidFile(dataDir), `${JSON.stringify(record)}\n`);
}

export function forgetPids(dataDir: string): void {
  rmSync(pidFile(dataDir), { force: true });
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

function belongsTo(pid: number, dataDir: string): boolean {
  try {
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return commandOf(pid).includes(dataDir) || cwd.startsWith(dataDir);
  } catch {
    return false;
  }
}

function readPidFile(dataDir: string): PidFile | undefined {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PidFile;
  } catch {
    // An unreadable pid file names nothing we could safely stop.
    return undefined;
  }
}

/** Returns the pids it stopped, once they are gone (and their ports free). */
export async function stopStaleProcesses(dataDir: string): Promise<number[]> {
  const record = readPidFile(dataDir);
  if (!record) return [];
  const { owner, children } = record;
  // The owner alive (this process included: a stack not stopped yet) means the children
  // are in use, not stale.
  if (isRunning(owner) && commandOf(owner).includes("node")) {
    throw new Error(
      `Another local stack (pid ${owner}) is running on ${dataDir}. Stop it first (Ctrl-C in its terminal, or \`kill ${owner}\`).`,
    );
  }
  const stale = children.filter((pid) => belongsTo(pid, dataDir));
  killNow(stale);
  for (let wait = 0; wait < 40 && stale.some(isRunning); wait++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  forgetPids(dataDir);
  return stale;
}

/** Last resort on process exit: children must not outlive the stack. */
export function killNow(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
