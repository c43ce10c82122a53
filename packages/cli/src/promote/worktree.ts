import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Another commit, checked out in a temporary `git worktree` under `.build/promote-check/`
 * with this checkout's installed dependencies, and always removed again.
 *
 * The dependencies are hard-linked, not symlinked: esbuild names every bundled module in a
 * comment by its real path relative to the working directory, so with symlinks the other
 * commit's bundles would say `../../node_modules/...` where this tree's say
 * `node_modules/...`, and every function would look changed. Hard links cost no space and
 * put the real paths inside the worktree. Relative symlinks (pnpm's layout) are copied as
 * they are and so resolve inside it too, including `@localstays/*` -> that commit's packages.
 * Where hard links are impossible (another file system, no GNU cp), it falls back to
 * symlinks and says that code comparisons may then be noisy.
 */
const run = promisify(execFile);

export interface Worktree {
  dir: string;
  ref: string;
  sha: string;
  remove(): Promise<void>;
}

export class WorktreeError extends Error {
  override name = "WorktreeError";
}

export async function resolveCommit(root: string, ref: string): Promise<string> {
  // git would read a leading dash as an option.
  if (ref.startsWith("-")) throw new WorktreeError(`"${ref}" is not a git ref.`);
  try {
    const { stdout } = await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: root,
    });
    return stdout.trim();
  } catch {
    throw new WorktreeError(`"${ref}" is not a commit in ${root} (git rev-parse failed).`);
  }
}

/** `node_modules` folders pnpm installed: the root's and each workspace package's. */
function installedModules(root: string): string[] {
  const packages = path.join(root, "packages");
  const inPackages = existsSync(packages)
    ? readdirSync(packages).map((name) => path.join("packages", name, "node_modules"))
    : [];
  return ["node_modules", ...inPackages].filter((relative) =>
    existsSync(path.join(root, relative)),
  );
}

function linkModules(root: string, dir: string, log: (line: string) => void): void {
  let symlinked = false;
  for (const relative of installedModules(root)) {
    const target = path.join(dir, relative);
    // A package this commit does not have needs no dependencies.
    if (!existsSync(path.dirname(target))) continue;
    try {
      execFileSync("cp", ["-al", path.join(root, relative), target], { stdio: "pipe" });
    } catch {
      rmSync(target, { recursive: true, force: true });
      symlinkSync(path.join(root, relative), target, "dir");
      symlinked = true;
    }
  }
  if (symlinked) {
    log(
      "Could not hard-link node_modules into the worktree (cp -al failed); symlinked instead: " +
        "bundled code may then differ by its module paths alone.",
    );
  }
}

/**
 * Retries on ENOTEMPTY/EBUSY: a synthesis child's own children (esbuild's service) can still
 * be writing into the tree for a moment after the child has exited.
 */
const REMOVE = { recursive: true, force: true, maxRetries: 10, retryDelay: 200 } as const;

/** The worktree's folder and git's record of it, gone; safe to call twice. */
function removeSync(root: string, holder: string): void {
  rmSync(holder, REMOVE);
  try {
    execFileSync("git", ["worktree", "prune"], { cwd: root, stdio: "ignore" });
  } catch {
    // The folder is gone; a stale record is pruned by the next `git worktree prune`.
  }
}

/**
 * The other commit is built with this checkout's dependencies: if its lockfile differs,
 * dependency changes are invisible and its build may even fail.
 */
async function warnOnOtherLockfile(
  root: string,
  sha: string,
  ref: string,
  log: (line: string) => void,
) {
  try {
    await run("git", ["diff", "--quiet", sha, "--", "pnpm-lock.yaml"], { cwd: root });
  } catch {
    log(
      `pnpm-lock.yaml differs from ${ref}: ${ref} is built with this checkout's dependencies, ` +
        "so dependency updates do not show in this report.",
    );
  }
}

/**
 * Checks `ref` out into a new worktree. Removal also runs on SIGINT/SIGTERM, so an
 * interrupted run leaves no worktree behind.
 */
export async function addWorktree(
  root: string,
  ref: string,
  log: (line: string) => void,
): Promise<Worktree> {
  const sha = await resolveCommit(root, ref);
  const parent = path.join(root, ".build", "promote-check");
  mkdirSync(parent, { recursive: true });
  const holder = mkdtempSync(path.join(parent, "base-"));
  const dir = path.join(holder, "tree");
  let removed = false;
  const onSignal = (signal: NodeJS.Signals) => {
    removeSync(root, holder);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const remove = async () => {
    if (removed) return;
    removed = true;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await rm(holder, REMOVE);
    removeSync(root, holder);
  };
  try {
    await run("git", ["worktree", "add", "--detach", dir, sha], { cwd: root });
    linkModules(root, dir, log);
    await warnOnOtherLockfile(root, sha, ref, log);
  } catch (error) {
    await remove();
    if (error instanceof WorktreeError) throw error;
    throw new WorktreeError(
      `Cannot check out ${ref} into a worktree: ${(error as Error).message.trim()}`,
    );
  }
  return { dir, ref, sha, remove };
}
