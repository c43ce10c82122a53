import type { CheckResult, SmokeReport } from "./checks.js";

/**
 * The human form of a report: a header, one line per check with its timing, a summary.
 *
 *   PASS  health            41 ms  ok, stage staging
 */
const LABEL = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

function line(check: CheckResult, nameWidth: number): string {
  const ms = check.status === "skip" ? "" : `${check.ms} ms`;
  return `${LABEL[check.status]}  ${check.name.padEnd(nameWidth)}  ${ms.padStart(7)}  ${check.detail}`;
}

export function formatReport(report: SmokeReport): string {
  const { target, checks } = report;
  const width = Math.max(...checks.map((check) => check.name.length));
  const who = target.user ? `, as ${target.user}` : "";
  const failed = checks.filter((check) => check.status === "fail");
  const passed = checks.filter((check) => check.status === "pass").length;
  const summary = report.ok
    ? `${passed} checks passed in ${report.ms} ms`
    : `${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(", ")}) in ${report.ms} ms`;
  return [
    `smoke ${target.apiUrl} (${target.source}${who})`,
    ...checks.map((check) => line(check, width)),
    summary,
    "",
  ].join("\n");
}

/** The first failure, as the one-sentence reason for exit code 1. */
export function failureReason(report: SmokeReport): string | undefined {
  const first = report.checks.find((check) => check.status === "fail");
  if (!first) return undefined;
  const more = report.checks.filter((check) => check.status === "fail").length - 1;
  return `smoke failed: ${first.name}: ${first.detail}${more ? ` (and ${more} more)` : ""}`;
}
