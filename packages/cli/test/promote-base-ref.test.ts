import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { describe, expect, it } from "vitest";
import { promoteCheck } from "../src/commands/promote-check.js";
import { addWorktree } from "../src/promote/worktree.js";

/**
 * `--base-ref HEAD` on a clean checkout of the real app must find nothing: the other
 * commit's functions are bundled in a worktree, this tree's in its own folder, and their
 * asset hashes agree only if the two recipes are truly the same. The shared working tree
 * is never clean, so the clean checkout is itself a worktree of HEAD.
 */
const worktrees = (cwd: string) =>
  execFileSync("git", ["worktree", "list", "--porcelain"], { cwd, encoding: "utf8" })
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length));

describe("promote-check --base-ref HEAD on the real app", () => {
  it("reports no change on a clean tree and leaves no worktree behind", async () => {
    const log: string[] = [];
    const before = worktrees(repoRoot);
    const clean = await addWorktree(repoRoot, "HEAD", (line) => log.push(line));
    try {
      const report = await promoteCheck({ baseRef: "HEAD", to: "dev1", root: clean.dir }, (line) =>
        log.push(line),
      );
      expect(report).toMatchObject({ mode: "commits", fingerprints: false, verdict: "ok" });
      expect(report.before.label).toBe(`HEAD (${clean.sha.slice(0, 9)})`);
      expect(
        report.changes.map((c) => `${c.stack}/${c.logicalId}: ${c.details.join("; ")}`),
      ).toEqual([]);
      expect(report.stacks.length).toBeGreaterThanOrEqual(6);
      expect(report.stacks.every((stack) => stack.status === "unchanged")).toBe(true);
      const inner = path.join(clean.dir, ".build", "promote-check");
      expect(existsSync(inner) ? readdirSync(inner) : []).toEqual([]);
    } finally {
      await clean.remove();
    }
    expect(worktrees(repoRoot)).toEqual(before);
    expect(log.join("\n")).not.toMatch(/symlinked instead/);
  }, 900_000);
});
