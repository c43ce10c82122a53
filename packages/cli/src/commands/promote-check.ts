import path from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { type Command, InvalidArgumentError, Option } from "commander";
import { estimate, type ProfileName } from "../cost/estimate.js";
import { CliError } from "../errors.js";
import { ensureOfflineProdAccount } from "../offline-prod-account.js";
import { type CostDifference, compare, type Report } from "../promote/compare.js";
import { MATRIX, ROW_ORDER } from "../promote/matrix.js";
import { migrationStatus } from "../promote/migrations.js";
import { type Format, render } from "../promote/render.js";
import type { Side } from "../promote/side.js";
import { SynthesisError, synthesizeStage, synthesizeTree } from "../promote/synth-side.js";
import { addWorktree, WorktreeError } from "../promote/worktree.js";

/**
 * `localstays promote-check --from dev1 --to staging` / `--base-ref origin/staging --to
 * staging`: synthesizes both sides offline, diffs every stack and sorts each change into the
 * seed's Propagation Decision Matrix (risk, time, deploy command, rollback). Hard stops and
 * broadened IAM permissions make the exit code non-zero, so CI can gate a promotion on it.
 */
export const EXIT = { ok: 0, error: 1, hardStop: 2, needsApproval: 3 } as const;

export interface PromoteCheckOptions {
  from?: string;
  to: string;
  baseRef?: string;
  allowIam?: boolean;
  /** The tree whose code is promoted; defaults to this checkout. */
  root?: string;
}

function stageName(value: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not a stage name (letters, digits and dashes).`);
  }
  return value;
}

async function timed<T>(what: string, log: (line: string) => void, work: () => Promise<T>) {
  const started = Date.now();
  log(`Synthesizing ${what}...`);
  const result = await work();
  log(`Synthesized ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function sidesForStages(from: string, to: string, log: (line: string) => void) {
  // One after the other: SST synthesizes one app at a time per process.
  const before = await timed(`stage ${from}`, log, () => synthesizeStage(from));
  const after = await timed(`stage ${to}`, log, () => synthesizeStage(to));
  return { before, after };
}

async function sidesForCommits(root: string, ref: string, to: string, log: (line: string) => void) {
  const worktree = await addWorktree(root, ref, log);
  try {
    const label = `${ref} (${worktree.sha.slice(0, 9)})`;
    // Both through the same child-process recipe, so that asset hashes of unchanged code
    // come out identical on both sides. When one side fails the other is stopped, and both
    // have ended before the worktree goes: a child left synthesizing in a deleted folder
    // would keep this process alive.
    const stop = new AbortController();
    let failure: unknown;
    const side = (what: string, dir: string, sideLabel: string) =>
      timed(what, log, () => synthesizeTree(dir, to, sideLabel, stop.signal)).catch((error) => {
        failure ??= error;
        stop.abort();
        throw error;
      });
    const [before, after] = await Promise.allSettled([
      side(`${label} for stage ${to}`, worktree.dir, label),
      side(`this tree for stage ${to}`, root, "this tree"),
    ]);
    if (before.status === "rejected" || after.status === "rejected") throw failure;
    return { before: before.value, after: after.value, base: { ref, sha: worktree.sha } };
  } finally {
    await worktree.remove();
  }
}

export async function promoteCheck(
  options: PromoteCheckOptions,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<Report> {
  const { from, to, baseRef } = options;
  const root = options.root ?? repoRoot;
  if (from && baseRef) {
    throw new CliError(
      "--from compares two stages of this tree, --base-ref this tree with another commit for " +
        "the --to stage: give one of them.",
    );
  }
  if (!from && !baseRef) {
    throw new CliError("Give --from <stage> (or --base-ref <git ref>) besides --to <stage>.");
  }
  if (from && path.resolve(root) !== repoRoot) {
    throw new CliError(`--from synthesizes this checkout (${repoRoot}) only.`);
  }
  await ensureOfflineProdAccount(from ? [from, to] : [to], log);

  let sides: { before: Side; after: Side; base?: { ref: string; sha: string } };
  try {
    sides = from
      ? await sidesForStages(from, to, log)
      : await sidesForCommits(root, baseRef as string, to, log);
  } catch (error) {
    if (error instanceof WorktreeError || error instanceof SynthesisError) {
      throw new CliError(error.message);
    }
    // stacks/stage.ts refuses a target that does not belong to the stage, with a reason.
    if (error instanceof Error && error.message.startsWith("Refusing to deploy")) {
      throw new CliError(error.message);
    }
    throw error;
  }
  const migrations = await migrationStatus(root, to, sides.base);
  const report = compare(sides.before, sides.after, {
    mode: from ? "stages" : "commits",
    target: to,
    allowIam: options.allowIam ?? false,
    migrations,
  });
  try {
    report.cost = costDifference(sides.before, sides.after, COST_PROFILE);
  } catch (error) {
    // A personal stage in a region the price table lacks: the report stands without it.
    log(`No monthly cost difference: ${(error as Error).message}`);
  }
  return report;
}

/** The profile promote-check prices both sides at: the same usage, so only the infra differs. */
const COST_PROFILE: ProfileName = "quiet";

export function costDifference(before: Side, after: Side, profile: ProfileName): CostDifference {
  const beforeUsd = estimate(before, profile).grossUsd;
  const afterUsd = estimate(after, profile).grossUsd;
  return {
    profile,
    beforeUsd,
    afterUsd,
    differenceUsd: Math.round((afterUsd - beforeUsd) * 100) / 100,
  };
}

export function exitCodeOf(report: Report): number {
  if (report.verdict === "hard-stop") return EXIT.hardStop;
  if (report.verdict === "needs-approval") return EXIT.needsApproval;
  return EXIT.ok;
}

const TITLE_WIDTH = Math.max(...ROW_ORDER.map((id) => MATRIX[id].title.length));
const MATRIX_HELP = ROW_ORDER.map((id) => MATRIX[id])
  .map((row) => `  ${row.title.padEnd(TITLE_WIDTH)}  ${row.risk.padEnd(6)}  ${row.time}`)
  .join("\n");

const HELP = `
Compares two synthesized versions of the app, offline (no AWS account):
  --from A --to B          stages A and B of this tree: the per-stage differences (stacks/stage.ts)
  --base-ref REF --to B    commit REF and this tree, both for stage B: what deploying this tree changes
Every change is sorted into the seed's Propagation Decision Matrix and printed with its
resource, add/modify/remove/replace, risk, time, rollback and deploy command
(pnpm sst deploy <StackId> --stage <to>: SST filters by stack id).

Hard stops (exit ${EXIT.hardStop}): replacing or deleting a table, bucket, user pool or KMS key; creating
or deleting more than one GSI in one update, or changing a GSI's keys; a Cognito schema or
sign-in attribute change that needs a new user pool.
Broadened IAM permissions (any added statement, as cdk's --require-approval broadening)
need approval (exit ${EXIT.needsApproval}); --allow-iam accepts them after review (exit ${EXIT.ok}).
Errors exit ${EXIT.error}. Progress goes to stderr, the report to stdout.
Both sides are priced at the "quiet" usage profile (localstays cost): the report shows each
side's monthly cost before the free tier and the difference.

Matrix rows (risk, time):
${MATRIX_HELP}

Examples:
  pnpm -s localstays promote-check --from dev1 --to staging
  pnpm -s localstays promote-check --base-ref origin/staging --to staging --format markdown >> "$GITHUB_STEP_SUMMARY"
`;

export function registerPromoteCheckCommand(program: Command): void {
  program
    .command("promote-check")
    .description("Classify what promoting to a stage changes, by the seed's decision matrix")
    .requiredOption("--to <stage>", "the stage to promote to", stageName)
    .option("--from <stage>", "the stage to compare with, in this tree", stageName)
    .option("--base-ref <ref>", "compare this tree with a git commit, both for --to")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .option("--allow-iam", "accept broadened IAM permissions (exit 0 instead of 3)", false)
    // The checkout to check; the tests point it at throw-away git repositories. With --from
    // only this checkout works (its stacks are synthesized in this process).
    .addOption(new Option("--root <dir>").hideHelp())
    .addHelpText("after", HELP)
    .action(async (options: PromoteCheckOptions & { format: Format }) => {
      const report = await promoteCheck(options);
      process.stdout.write(render(report, options.format));
      process.exitCode = exitCodeOf(report);
    });
}
