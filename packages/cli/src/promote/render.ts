import type { Change } from "./classify.js";
import { type CostDifference, highestRisk, type Report, type StackSummary } from "./compare.js";
import { MATRIX, ROW_ORDER, type RowId } from "./matrix.js";

/** The report as text (a terminal), Markdown (a PR comment, a job summary) or JSON. */
export type Format = "text" | "markdown" | "json";

/** Every change with its row's time and rollback and its stack's deploy command spelled out. */
export function changeRecords(report: Report) {
  const commands = new Map(report.stacks.map((stack) => [stack.id, stack.command]));
  return report.changes.map((change) => ({
    ...change,
    rowTitle: MATRIX[change.row].title,
    time: MATRIX[change.row].time,
    rollback: MATRIX[change.row].rollback,
    command: commands.get(change.stack) ?? "",
  }));
}

const VERDICT_TEXT = {
  ok: "OK: nothing blocks the promotion",
  "needs-approval":
    "NEEDS APPROVAL: IAM permissions are broadened (re-run with --allow-iam once reviewed)",
  "hard-stop": "HARD STOP: do not deploy as is",
} as const;

/** Changes of one row that read the same (same action, details, warnings) are shown once. */
function groups(changes: Change[]): Change[][] {
  const byKey = new Map<string, Change[]>();
  for (const change of changes) {
    const key = JSON.stringify([change.action, change.risk, change.details, change.warnings]);
    byKey.set(key, [...(byKey.get(key) ?? []), change]);
  }
  return [...byKey.values()];
}

function rowsOf(changes: Change[]): [RowId, Change[]][] {
  return ROW_ORDER.map((row) => [row, changes.filter((change) => change.row === row)] as const)
    .filter(([, inRow]) => inRow.length > 0)
    .map(([row, inRow]) => [row, inRow]);
}

function headline(report: Report): string {
  const { before, after } = report;
  return report.mode === "stages"
    ? `${before.stage} -> ${after.stage}`
    : `${before.label} -> this tree (stage ${after.stage})`;
}

function modeNote(report: Report): string {
  const code = report.fingerprints
    ? "Code and image changes are judged by asset contents."
    : "Code and image changes are judged by asset hashes (same stage on both sides).";
  const origin =
    report.mode === "stages"
      ? "One tree, two stages: every difference comes from the per-stage settings (stacks/stage.ts)."
      : "What deploying this tree changes compared with that commit.";
  return `${origin} ${code}`;
}

function summaryLine(report: Report): string {
  const changed = report.stacks.filter((stack) => stack.changes > 0);
  const risk = highestRisk(report.changes);
  return `${report.changes.length} change(s) in ${changed.length} stack(s)${risk ? `, highest risk ${risk}` : ""}`;
}

function migrationLines(report: Report): string[] {
  const { migrations } = report;
  if (migrations.kind !== "listed") return [migrations.note];
  if (migrations.migrations.length === 0) return [`${migrations.note} None.`];
  return [
    migrations.note,
    ...migrations.migrations.map(
      (m) =>
        `${m.id}: ${m.description}${m.reversible === false ? " (NOT reversible)" : ""} ` +
        `[${MATRIX["data-migration"].risk}, ${MATRIX["data-migration"].time}, rollback: ${MATRIX["data-migration"].rollback}]`,
    ),
  ];
}

export function renderText(report: Report): string {
  const out: string[] = [];
  const { before, after } = report;
  const width = Math.max(before.label.length, after.label.length);
  out.push(`promote-check: ${headline(report)}`);
  out.push(`  from  ${before.label.padEnd(width)}  account ${before.account}, ${before.region}`);
  out.push(`  to    ${after.label.padEnd(width)}  account ${after.account}, ${after.region}`);
  out.push(`  ${modeNote(report)}`);

  if (report.settings.length) {
    out.push("", "Per-stage settings that differ (stacks/stage.ts):");
    const keyWidth = Math.max(...report.settings.map((s) => s.key.length));
    for (const setting of report.settings) {
      out.push(`  ${setting.key.padEnd(keyWidth)}  ${setting.before} -> ${setting.after}`);
    }
  }
  if (report.cost) out.push("", costLine(report.cost));
  if (report.hardStops.length) {
    out.push("", "HARD STOPS:");
    for (const stop of report.hardStops) {
      out.push(`  ${stop.stack} ${stop.logicalId} (${stop.resourceType}): ${stop.reason}`);
    }
  }
  if (report.approvals.length) {
    out.push(
      "",
      report.iamAllowed
        ? "IAM permissions broadened (accepted with --allow-iam):"
        : "NEEDS APPROVAL: IAM permissions broadened:",
    );
    for (const approval of report.approvals) {
      for (const statement of approval.statements) out.push(`  ${approval.stack}: ${statement}`);
    }
  }

  for (const stack of report.stacks.filter((s) => s.changes > 0)) {
    out.push("", stackHeading(stack), `  deploy: ${stack.command}`);
    for (const [row, changes] of rowsOf(report.changes.filter((c) => c.stack === stack.id))) {
      const { title, risk, time, rollback } = MATRIX[row];
      out.push(`  ${title}  [risk ${risk}, ~${time}; rollback: ${rollback}]`);
      for (const group of groups(changes)) {
        for (const change of group) {
          const escalated = change.risk !== risk ? `  (risk ${change.risk})` : "";
          out.push(
            `    ${change.action.padEnd(7)} ${change.logicalId} (${change.resourceType})${escalated}`,
          );
        }
        const first = group[0] as Change;
        for (const line of first.details) out.push(`        ${line}`);
        for (const warning of first.warnings) out.push(`        ! ${warning}`);
      }
    }
  }
  const unchanged = report.stacks.filter((s) => s.changes === 0).map((s) => s.id);
  if (unchanged.length) out.push("", `Unchanged: ${unchanged.join(", ")}`);

  out.push("", "Data migrations:", ...migrationLines(report).map((line) => `  ${line}`));
  out.push("", `${VERDICT_TEXT[report.verdict]}. ${summaryLine(report)}.`);
  const order = report.stacks.filter((s) => s.changes > 0).map((s) => s.command);
  if (order.length && report.verdict !== "hard-stop") {
    out.push("Deploy in this order:", ...order.map((command) => `  ${command}`));
  }
  return `${out.join("\n")}\n`;
}

/** `Monthly cost (profile quiet, localstays cost): $5.46 -> $9.12 (+$3.66)`. */
export function costLine(cost: CostDifference): string {
  const sign = cost.differenceUsd < 0 ? "-" : "+";
  return (
    `Monthly cost (profile ${cost.profile}, before the free tier; localstays cost): ` +
    `$${cost.beforeUsd.toFixed(2)} -> $${cost.afterUsd.toFixed(2)} (${sign}$${Math.abs(cost.differenceUsd).toFixed(2)})`
  );
}

function stackHeading(stack: StackSummary): string {
  const status = stack.status === "changed" ? "" : ` [stack ${stack.status}]`;
  return `${stack.id}  ${stack.stackName}${status}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

const VERDICT_MARKDOWN = {
  ok: "✅ OK",
  "needs-approval": "⚠️ needs approval (IAM broadened)",
  "hard-stop": "⛔ hard stop",
} as const;

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const { before, after } = report;
  out.push(`## promote-check: ${code(headline(report))}: ${VERDICT_MARKDOWN[report.verdict]}`);
  out.push("", `${modeNote(report)} ${summaryLine(report)}.`, "");
  out.push("| | from | to |", "|---|---|---|");
  out.push(`| side | ${cell(before.label)} | ${cell(after.label)} |`);
  out.push(`| stage | ${before.stage} | ${after.stage} |`);
  out.push(
    `| account, region | ${before.account}, ${before.region} | ${after.account}, ${after.region} |`,
  );

  if (report.cost) out.push("", costLine(report.cost));
  if (report.hardStops.length) {
    out.push("", "### ⛔ Hard stops", "");
    for (const stop of report.hardStops) {
      out.push(
        `- **${stop.stack}** ${code(stop.logicalId)} (${stop.resourceType}): ${stop.reason}`,
      );
    }
  }
  if (report.approvals.length) {
    const title = report.iamAllowed
      ? "IAM permissions broadened (accepted with `--allow-iam`)"
      : "⚠️ IAM permissions broadened: needs approval";
    out.push("", `### ${title}`, "");
    for (const approval of report.approvals) {
      for (const statement of approval.statements) {
        out.push(`- **${approval.stack}** ${code(statement)}`);
      }
    }
  }
  if (report.settings.length) {
    out.push("", "### Per-stage settings that differ (`stacks/stage.ts`)", "");
    out.push(`| setting | ${before.stage} | ${after.stage} |`, "|---|---|---|");
    for (const s of report.settings) {
      out.push(`| ${code(s.key)} | ${cell(s.before)} | ${cell(s.after)} |`);
    }
  }
  for (const stack of report.stacks.filter((s) => s.changes > 0)) {
    out.push("", `### ${stackHeading(stack)}`, "", `Deploy: ${code(stack.command)}`, "");
    out.push("| Change | Resource | Matrix row | Risk | Time | Rollback | Details |");
    out.push("|---|---|---|---|---|---|---|");
    for (const [row, changes] of rowsOf(report.changes.filter((c) => c.stack === stack.id))) {
      const { title, time, rollback } = MATRIX[row];
      for (const group of groups(changes)) {
        const first = group[0] as Change;
        const resources = group.map((c) => `${code(c.logicalId)} ${c.resourceType}`).join("<br>");
        const details = [
          ...first.details.map(code),
          ...first.warnings.map((warning) => `⚠️ ${cell(warning)}`),
        ].join("<br>");
        out.push(
          `| ${first.action} | ${resources} | ${title} | ${first.risk} | ${time} | ${cell(rollback)} | ${details} |`,
        );
      }
    }
  }
  const unchanged = report.stacks.filter((s) => s.changes === 0).map((s) => s.id);
  if (unchanged.length) out.push("", `Unchanged stacks: ${unchanged.join(", ")}.`);
  out.push("", "### Data migrations", "", ...migrationLines(report).map((line) => `- ${line}`));
  return `${out.join("\n")}\n`;
}

export function renderJson(report: Report): string {
  return `${JSON.stringify({ ...report, changes: changeRecords(report) }, null, 2)}\n`;
}

export function render(report: Report, format: Format): string {
  if (format === "json") return renderJson(report);
  if (format === "markdown") return renderMarkdown(report);
  return renderText(report);
}
