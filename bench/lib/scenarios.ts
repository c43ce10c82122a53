import { failures, fixed } from "./format.js";
import { log } from "./log.js";
import type { Stats } from "./stats.js";

/** One measured run: an operation, loaded from one side (a way of sending it). */
export interface Scenario<Operation extends string = string, Side extends string = string> {
  operation: Operation;
  side: Side;
  /** The side as the table prints it. */
  label: string;
  stats: Stats;
}

export interface PlannedScenario<Operation extends string, Side extends string> {
  operation: Operation;
  side: Side;
  label: string;
  /** Loads the operation for `seconds` and measures it. */
  run: (seconds: number) => Promise<Stats>;
}

export interface RunSettings {
  /** Seconds measured per scenario. */
  duration: number;
  /** Seconds of the same load before each scenario, discarded. */
  warmup: number;
  /** Only reported: the runs themselves carry their concurrency. */
  connections: number;
}

/** Runs the plan in order, one scenario at a time, logging each result as it comes. */
export async function runScenarios<Operation extends string, Side extends string>(
  plan: PlannedScenario<Operation, Side>[],
  { duration, warmup, connections }: RunSettings,
  operationLabels: Record<Operation, string>,
): Promise<Scenario<Operation, Side>[]> {
  log(
    `${plan.length} scenarios × (${warmup} s warm-up + ${duration} s) at ${connections} connections ≈ ${plan.length * (warmup + duration)} s`,
  );
  const scenarios: Scenario<Operation, Side>[] = [];
  for (const { operation, side, label, run } of plan) {
    if (warmup > 0) await run(warmup);
    const stats = await run(duration);
    log(
      `${operationLabels[operation]} ${side}: ${fixed(stats.reqPerSec, 0)} req/s, p50 ${fixed(stats.p50)} ms, p99 ${fixed(stats.p99)} ms, errors ${failures(stats)}`,
    );
    scenarios.push({ operation, side, label, stats });
  }
  return scenarios;
}
