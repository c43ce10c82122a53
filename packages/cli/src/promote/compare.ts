import { alignStageDerivedNames } from "./align.js";
import { type Approval, type Change, classifyStack, type HardStop } from "./classify.js";
import { deployCommand, RISK_ORDER, removeCommand } from "./matrix.js";
import type { MigrationStatus } from "./migrations.js";
import { normaliseTemplate } from "./normalise.js";
import type { Side, Template } from "./side.js";

/** The whole answer of promote-check: what changes, how it deploys, and whether it may. */
export type Verdict = "ok" | "needs-approval" | "hard-stop";

export interface SideSummary {
  label: string;
  stage: string;
  account: string;
  region: string;
}

export interface StackSummary {
  id: string;
  stackName: string;
  status: "added" | "removed" | "changed" | "unchanged";
  /** How to deploy this stack's changes to the target stage. */
  command: string;
  changes: number;
}

export interface Report {
  before: SideSummary;
  after: SideSummary;
  /** The stage being deployed to. */
  target: string;
  /**
   * "stages": one tree, two stages: every difference comes from stacks/stage.ts.
   * "commits": two commits, one stage: what deploying this tree changes.
   */
  mode: "stages" | "commits";
  /** Whether code and image changes were judged by asset contents (else by asset hash). */
  fingerprints: boolean;
  /** Per-stage settings that differ between the two sides' stages. */
  settings: { key: string; before: string; after: string }[];
  stacks: StackSummary[];
  changes: Change[];
  hardStops: HardStop[];
  approvals: Approval[];
  /** True when --allow-iam accepted the broadened permissions. */
  iamAllowed: boolean;
  migrations: MigrationStatus;
  verdict: Verdict;
  /**
   * The monthly cost of each side at one usage profile (`localstays cost`, before the free
   * tier), so a promotion shows what it adds; set by promote-check after the comparison.
   */
  cost?: CostDifference;
}

export interface CostDifference {
  profile: string;
  beforeUsd: number;
  afterUsd: number;
  differenceUsd: number;
}

export interface CompareOptions {
  mode: Report["mode"];
  /** The stage the changes deploy to (the after side's). */
  target: string;
  allowIam: boolean;
  migrations: MigrationStatus;
}

function summary(side: Side): SideSummary {
  const { label, stage, account, region } = side;
  return { label, stage, account, region };
}

function settingsDiff(before: Side, after: Side): Report["settings"] {
  if (!before.settings || !after.settings) return [];
  const keys = [...new Set([...Object.keys(before.settings), ...Object.keys(after.settings)])];
  // The stage's own name and its account/region are in the header already.
  const shown = keys.filter((key) => !["stage", "account", "region"].includes(key));
  return shown
    .map((key) => ({
      key,
      before: before.settings?.[key] ?? "(unset)",
      after: after.settings?.[key] ?? "(unset)",
    }))
    .filter((setting) => setting.before !== setting.after);
}

/** Stack ids in the after side's order (dependency order), then the ones it no longer has. */
function stackIds(before: Side, after: Side): string[] {
  return [...new Set([...Object.keys(after.stacks), ...Object.keys(before.stacks)])];
}

export function compare(before: Side, after: Side, options: CompareOptions): Report {
  const fingerprints = Boolean(before.assets && after.assets);
  const acrossStages = before.stage !== after.stage;
  const normalise = (side: Side, id: string): Template => {
    const stack = side.stacks[id];
    return stack ? normaliseTemplate(side, stack.template, { fingerprints }) : {};
  };

  const stacks: StackSummary[] = [];
  const changes: Change[] = [];
  const hardStops: HardStop[] = [];
  const approvals: Approval[] = [];
  for (const id of stackIds(before, after)) {
    const old = normalise(before, id);
    const now = acrossStages
      ? alignStageDerivedNames(old, normalise(after, id), {
          before: before.stage,
          after: after.stage,
        })
      : normalise(after, id);
    const result = classifyStack(id, old, now);
    const removed = !after.stacks[id];
    stacks.push({
      id,
      stackName: after.stacks[id]?.stackName ?? before.stacks[id]?.stackName ?? id,
      status: removed
        ? "removed"
        : !before.stacks[id]
          ? "added"
          : result.changes.length
            ? "changed"
            : "unchanged",
      command: removed ? removeCommand(id, options.target) : deployCommand(id, options.target),
      changes: result.changes.length,
    });
    changes.push(...result.changes);
    hardStops.push(...result.hardStops);
    if (result.approval) approvals.push(result.approval);
  }

  const verdict: Verdict = hardStops.length
    ? "hard-stop"
    : approvals.length && !options.allowIam
      ? "needs-approval"
      : "ok";
  return {
    before: summary(before),
    after: summary(after),
    target: options.target,
    mode: options.mode,
    fingerprints,
    settings: settingsDiff(before, after),
    stacks,
    changes,
    hardStops,
    approvals,
    iamAllowed: options.allowIam && approvals.length > 0,
    migrations: options.migrations,
    verdict,
  };
}

/** The highest risk among the changes, for summaries. */
export function highestRisk(changes: Change[]) {
  return changes.reduce<Change["risk"] | undefined>(
    (highest, change) =>
      !highest || RISK_ORDER[change.risk] > RISK_ORDER[highest] ? change.risk : highest,
    undefined,
  );
}
