import { failures, fixed } from "./format.js";
import type { Scenario } from "./scenarios.js";

const COLUMNS = ["req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"] as const;
const WIDTHS = [9, 9, 9, 9, 9, 14] as const;

/** Left-aligned column width: at least `min`, wider when a cell needs it. */
const widthOf = (cells: string[], min: number, gap: number) =>
  Math.max(min, ...cells.map((cell) => cell.length + gap));

/** One row per scenario: operation, side (its label), req/s, latency percentiles, errors. */
export function scenarioTable<Operation extends string>(
  scenarios: Scenario<Operation>[],
  operationLabels: Record<Operation, string>,
): string {
  const operationWidth = widthOf(Object.values<string>(operationLabels), 16, 2);
  const sideWidth = widthOf(
    scenarios.map((s) => s.label),
    44,
    2,
  );
  const line = (operation: string, side: string, cells: readonly string[]) =>
    operation.padEnd(operationWidth) +
    side.padEnd(sideWidth) +
    cells.map((cell, i) => cell.padStart(WIDTHS[i] ?? 9)).join("");
  const header = line("operation", "side", COLUMNS);
  const rows = scenarios.map(({ operation, label, stats }) =>
    line(operationLabels[operation], label, [
      fixed(stats.reqPerSec, 0),
      fixed(stats.p50),
      fixed(stats.p90),
      fixed(stats.p99),
      fixed(stats.max),
      failures(stats),
    ]),
  );
  return [header, "-".repeat(header.length), ...rows].join("\n");
}

export interface Ratios<Operation extends string = string, Side extends string = string> {
  operation: Operation;
  versus: Side;
  /** subject req/s ÷ other req/s: below 1 means the subject serves fewer. */
  reqPerSec: number;
  /** subject latency ÷ other latency: above 1 means the subject is slower. */
  p50: number;
  p99: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/**
 * For every operation (in the scenarios' order) that the `subject` side ran, its ratios to
 * each of the `baselines` sides that ran it too, in the order given.
 */
export function ratiosOf<Operation extends string, Side extends string>(
  scenarios: Scenario<Operation, Side>[],
  subject: Side,
  baselines: readonly Side[],
): Ratios<Operation, Side>[] {
  const find = (operation: Operation, side: Side) =>
    scenarios.find((s) => s.operation === operation && s.side === side)?.stats;
  const out: Ratios<Operation, Side>[] = [];
  for (const operation of new Set(scenarios.map((s) => s.operation))) {
    const own = find(operation, subject);
    if (!own) continue;
    for (const versus of baselines) {
      const other = find(operation, versus);
      if (!other) continue;
      out.push({
        operation,
        versus,
        reqPerSec: ratio(own.reqPerSec, other.reqPerSec),
        p50: ratio(own.p50, other.p50),
        p99: ratio(own.p99, other.p99),
      });
    }
  }
  return out;
}

/** `  GET listing    api/raw   req/s 0.20×   p50 5.26×   p99 4.39×`, one line per ratio. */
export function ratioLines<Operation extends string>(
  ratios: Ratios<Operation>[],
  subject: string,
  operationLabels: Record<Operation, string>,
): string[] {
  const width = widthOf(Object.values<string>(operationLabels), 14, 1);
  return ratios.map(
    (r) =>
      `  ${operationLabels[r.operation].padEnd(width)} ${subject}/${r.versus}   req/s ${fixed(r.reqPerSec, 2)}×   p50 ${fixed(r.p50, 2)}×   p99 ${fixed(r.p99, 2)}×`,
  );
}
