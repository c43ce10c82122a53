import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./run-cli.js";

/**
 * The CLI end to end against a throw-away git repository whose stacks/synth-cli.ts is a
 * one-stack CDK app (promote/fixture-synth-cli.ts): `--base-ref HEAD` compares a commit
 * with its working tree through the real worktree and child-process recipe, in seconds.
 */
const FIXTURE = path.join(import.meta.dirname, "promote", "fixture-synth-cli.ts");
const SLOW = 240_000;

let repo: string;

function git(...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.email=promote-check@localstays.dev", "-c", "user.name=promote-check", ...args],
    { cwd: repo, encoding: "utf8" },
  );
}

function writeApp(spec: { indexes: string[]; actions: string[] }): void {
  writeFileSync(path.join(repo, "app.json"), `${JSON.stringify(spec)}\n`);
}

function promoteCheck(...args: string[]) {
  return cli("promote-check", "--base-ref", "HEAD", "--to", "dev1", "--root", repo, ...args);
}

/** No worktree left behind: neither git's record nor the folder. */
function expectNoWorktrees(): void {
  expect(git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
  const holder = path.join(repo, ".build", "promote-check");
  expect(existsSync(holder) ? readdirSync(holder) : []).toEqual([]);
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), "localstays-promote-repo-"));
  mkdirSync(path.join(repo, "stacks"));
  copyFileSync(FIXTURE, path.join(repo, "stacks", "synth-cli.ts"));
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(repo, "node_modules"), "dir");
  writeFileSync(path.join(repo, ".gitignore"), "node_modules\n.build\n");
  writeApp({ indexes: ["GSI1"], actions: ["dynamodb:GetItem"] });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "base");
});
afterEach(() => {
  git("checkout", "--", "app.json");
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

describe("localstays promote-check (CLI)", () => {
  it("documents both modes, the hard stops and the exit codes in --help", async () => {
    const help = await cli("promote-check", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--base-ref <ref>");
    expect(help.stdout).toContain("Hard stops (exit 2)");
    expect(help.stdout).toMatch(/need approval \(exit 3\); --allow-iam accepts them/);
    expect(help.stdout).not.toContain("--root");
  });

  it(
    "reports no change for --base-ref HEAD on a clean tree, and removes its worktree",
    async () => {
      const run = await promoteCheck();
      expect(run.stderr).toContain("Synthesizing HEAD (");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^promote-check: HEAD \([0-9a-f]{9}\) -> this tree \(stage dev1\)/,
      );
      expect(run.stdout).toContain("Unchanged: Data");
      expect(run.stdout).toContain("OK: nothing blocks the promotion. 0 change(s) in 0 stack(s).");
      expectNoWorktrees();
    },
    SLOW,
  );

  it(
    "exits 2 with a JSON report when the working tree adds two GSIs at once",
    async () => {
      writeApp({ indexes: ["GSI1", "GSI2", "GSI3"], actions: ["dynamodb:GetItem"] });
      const run = await promoteCheck("--format", "json");
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ mode: "commits", verdict: "hard-stop", target: "dev1" });
      expect(report.hardStops).toEqual([
        expect.objectContaining({
          stack: "Data",
          resourceType: "AWS::DynamoDB::Table",
          reason: expect.stringMatching(/^creates GSI2, GSI3 in one update/),
        }),
      ]);
      expect(report.changes).toEqual([
        expect.objectContaining({
          row: "dynamodb-schema",
          risk: "High",
          command: "pnpm sst deploy Data --stage dev1",
          rollback: "Complex - may need migration",
        }),
      ]);
      expect(report.migrations.kind).toBe("no-registry");
      expectNoWorktrees();
    },
    SLOW,
  );

  it(
    "exits 3 on a broadened IAM policy, with a Markdown report, and 0 with --allow-iam",
    async () => {
      writeApp({ indexes: ["GSI1"], actions: ["dynamodb:*"] });
      const run = await promoteCheck("--format", "markdown");
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(
        /^## promote-check: `HEAD \([0-9a-f]{9}\) -> this tree \(stage dev1\)`: ⚠️ needs approval/,
      );
      expect(run.stdout).toContain("### ⚠️ IAM permissions broadened: needs approval");
      expect(run.stdout).toMatch(/- \*\*Data\*\* `\+ Allow dynamodb:\* on \$\{Table\w+\.Arn\}/);

      const allowed = await promoteCheck("--allow-iam", "--format", "json");
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ verdict: "ok", iamAllowed: true });
    },
    SLOW,
  );

  it(
    "exits 1 with the reason when synthesis fails, a ref is unknown or the options contradict, and cleans up",
    async () => {
      writeFileSync(path.join(repo, "app.json"), "{ not json");
      const [broken, unknown, both] = await Promise.all([
        promoteCheck(),
        cli("promote-check", "--base-ref", "no-such-ref", "--to", "dev1", "--root", repo),
        cli("promote-check", "--from", "dev1", "--base-ref", "HEAD", "--to", "staging"),
      ]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toBe("");
      expect(broken.stderr).toMatch(
        /localstays: Synthesizing this tree \(stage dev1\) in .* failed/,
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('"no-such-ref" is not a commit');
      expect(both.code).toBe(1);
      expect(both.stderr).toContain("give one of them");
      expectNoWorktrees();
    },
    SLOW,
  );
});
