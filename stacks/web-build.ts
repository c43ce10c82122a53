import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * StaticSite runs the build command while synthesizing, and the infra tests and promote-check
 * synthesize in several processes at once. Vite empties its outDir before writing, so a shared
 * `packages/web/dist` could be emptied by one synthesis while another zips it. Each synthesis
 * therefore builds into a folder of its own, `.build/web/<pid>-<random>/dist` (gitignored),
 * removed once the site's assets are staged (stacks/synth.ts) or, at the latest, when the
 * process exits (`sst deploy`, `sst diff`).
 *
 * The folders all sit at the same depth inside the tree, so the build is byte-for-byte the
 * same in every folder (the source maps name their sources by relative path) and the site's
 * asset hash depends on the code only: promote-check compares it across stages and commits.
 */
const builds = new Set<string>();
let firstBuild = true;

export function newBuildDir(root: string): string {
  const parent = path.join(root, ".build", "web");
  if (firstBuild) {
    firstBuild = false;
    process.once("exit", removeSiteBuilds);
    removeAbandonedBuilds(parent);
  }
  const dir = path.join(parent, `${process.pid}-${randomBytes(4).toString("hex")}`);
  builds.add(dir);
  return dir;
}

/** Folders of processes that are gone without removing them (killed, interrupted). */
function removeAbandonedBuilds(parent: string): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isRunning(pid)) {
      rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Vite's output folders (dist/) of this process's site builds not removed yet. */
export function siteBuildDirs(): string[] {
  return [...builds].map((dir) => path.join(dir, "dist"));
}

/** Removes this process's site build folders; the staged assets are copies. */
export function removeSiteBuilds(): void {
  for (const dir of builds) rmSync(dir, { recursive: true, force: true });
  builds.clear();
}
