import { fixed } from "../lib/format.js";

/** One side of the comparison: what it changed, how long it took, what CPU it cost. */
export interface SideResult {
  changed: number;
  seconds: number;
  itemsPerSecond: number;
  /** CPU per item changed: this process (client) and DynamoDB Local (server). */
  cpuMsPerItem: { client: number; dynamoDbLocal: number | null };
}

export interface MigrateBenchResult {
  items: number;
  segments: number;
  runner: SideResult & { conflicts: number; retries: number };
  sequential: SideResult;
  /** runner items/s ÷ sequential items/s. */
  ratio: number;
  endStatesIdentical: boolean;
}

/** The table, the ratio and the CPU split, as text. */
export function migrateReport(result: MigrateBenchResult): string {
  const cpu = (side: SideResult) => {
    const { client, dynamoDbLocal } = side.cpuMsPerItem;
    return `${fixed(client, 2).padStart(9)}${(dynamoDbLocal === null ? "-" : fixed(dynamoDbLocal, 2)).padStart(11)}`;
  };
  const row = (name: string, side: SideResult) =>
    name.padEnd(12) +
    String(side.changed).padStart(8) +
    fixed(side.seconds).padStart(9) +
    fixed(side.itemsPerSecond, 0).padStart(9) +
    cpu(side);
  const { runner, sequential } = result;
  const server = runner.cpuMsPerItem.dynamoDbLocal;
  const serverSequential = sequential.cpuMsPerItem.dynamoDbLocal;
  return [
    `Migration 0001 on ${result.items} legacy ACTIVE listings, same DynamoDB Local, same run`,
    "",
    `${" ".repeat(38)}cpu ms per item`,
    `${"side".padEnd(12)}${"items".padStart(8)}${"wall s".padStart(9)}${"items/s".padStart(9)}${"client".padStart(9)}${"DDB Local".padStart(11)}`,
    row("runner", runner),
    row("sequential", sequential),
    "",
    `runner/sequential: ${fixed(result.ratio, 2)}× items/s ` +
      `(runner: ${result.segments} segments, ${runner.conflicts} conflicts, ${runner.retries} retries; ` +
      `end states identical: ${result.endStatesIdentical ? "yes" : "NO"})`,
    ...(server && serverSequential
      ? [
          // DynamoDB Local runs every table operation on one SQLite thread, and both sides
          // make it do the same work per item: its CPU per item bounds the runner.
          `DynamoDB Local bound: at ${fixed(server, 2)} ms of its CPU per item, at most ${fixed(1000 / server, 0)} items/s, ` +
            `a ratio of at most ${fixed((sequential.cpuMsPerItem.client + serverSequential) / server, 2)}× ` +
            "(sequential client + server CPU per item ÷ runner server CPU per item)",
        ]
      : []),
  ].join("\n");
}
