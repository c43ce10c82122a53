import type { TableDescription } from "@aws-sdk/client-dynamodb";
import type { Check } from "./checks.js";
import type { DeployedStage } from "./deployed.js";
import type { ExpectedTable } from "./expected.js";

/**
 * A table and its GSIs (the seed's scenario 3: a new GSI backfills for minutes to hours
 * after the deploy, and code that queries it must wait). Without --wait an index that is not
 * ACTIVE is a difference; with it, the table is polled until every index is ACTIVE or the
 * timeout passes, a progress line per poll.
 */
export interface TableWait {
  timeoutSeconds: number;
  intervalSeconds: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  progress: (line: string) => void;
}

function indexDifferences(table: TableDescription, expected: ExpectedTable): string[] {
  const differences: string[] = [];
  const deployed = new Map((table.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  if (table.TableStatus !== "ACTIVE") differences.push(`table ${table.TableStatus}`);
  for (const name of expected.indexes) {
    const index = deployed.get(name);
    deployed.delete(name);
    if (!index) differences.push(`GSI ${name} missing`);
    else if (index.IndexStatus !== "ACTIVE") {
      differences.push(
        `GSI ${name} ${index.IndexStatus}${index.Backfilling ? " (backfilling)" : ""}`,
      );
    }
  }
  for (const name of deployed.keys())
    differences.push(`GSI ${name} deployed but not in the template`);
  return differences;
}

/** Indexes still being built or backfilled: what --wait waits for. */
function pending(table: TableDescription): string[] {
  return (table.GlobalSecondaryIndexes ?? [])
    .filter((index) => index.IndexStatus === "CREATING" || index.IndexStatus === "UPDATING")
    .map(
      (index) =>
        // GSI ItemCount is refreshed about every six hours: a rough sign of progress only.
        `${index.IndexName} ${index.IndexStatus}${index.Backfilling ? ", backfilling" : ""}, ` +
        `~${index.ItemCount ?? 0} of ~${table.ItemCount ?? 0} items`,
    );
}

export async function tableCheck(
  deployed: DeployedStage,
  expected: ExpectedTable,
  wait?: TableWait,
): Promise<Check> {
  const name =
    expected.tableName !== undefined
      ? await deployed.resolve(expected.stackName, expected.tableName)
      : await deployed.physicalId(expected.stackName, expected.logicalId);
  const subject = `table ${name ?? expected.logicalId}`;
  if (!name) return { kind: "table", subject, ok: false, notes: ["not deployed"] };
  const started = wait?.now() ?? 0;
  let table = await deployed.table(name);
  while (wait && table) {
    const building = pending(table);
    const waited = (wait.now() - started) / 1000;
    if (building.length === 0 && table.TableStatus === "ACTIVE") break;
    if (waited >= wait.timeoutSeconds) {
      wait.progress(`  ${name}: still not ACTIVE after ${Math.round(waited)} s (--timeout)`);
      break;
    }
    wait.progress(
      `  ${name} after ${Math.round(waited)} s: ${building.join("; ") || table.TableStatus}`,
    );
    await wait.sleep(Math.min(wait.intervalSeconds, wait.timeoutSeconds - waited) * 1000);
    table = await deployed.table(name);
  }
  if (!table) return { kind: "table", subject, ok: false, notes: ["missing"] };
  const differences = indexDifferences(table, expected);
  return {
    kind: "table",
    subject,
    ok: differences.length === 0,
    notes: differences.length
      ? differences
      : [
          `${expected.indexes.length} GSIs ACTIVE${expected.indexes.length ? `: ${expected.indexes.join(", ")}` : ""}`,
        ],
  };
}
