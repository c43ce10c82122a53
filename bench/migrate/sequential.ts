import { performance } from "node:perf_hooks";
import type { Core } from "./core.js";

/**
 * The baseline: the straightforward script the seed's Scenario 4 describes
 * (`migrate-listing-status.ts`): scan the table page by page, and for every ACTIVE listing
 * send one UpdateItem, waiting for each before the next. For a fair comparison it writes
 * exactly what the runner writes (the same `up`, so the same status, version and ElectroDB
 * keys) under the same kind of condition; it has no checkpoint, journal or audit.
 */
export async function sequentialMigration(core: Core, table: string) {
  const { Migrations, migration, ScanCommand, UpdateCommand } = core;
  const documents = Migrations.documentsOf(core.client);
  const started = performance.now();
  let read = 0;
  let changed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: "#entity = :listing AND #status = :active",
        ExpressionAttributeNames: { "#entity": "__edb_e__", "#status": "status" },
        ExpressionAttributeValues: { ":listing": "listing", ":active": "ACTIVE" },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    read += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const next = migration.up(item);
      const names = Object.keys(next).filter(
        (name) => JSON.stringify(next[name]) !== JSON.stringify(item[name]),
      );
      await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(", ")}`,
          ConditionExpression: "#status = :active AND #version = :version",
          ExpressionAttributeNames: {
            "#status": "status",
            "#version": "version",
            ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
          },
          ExpressionAttributeValues: {
            ":active": "ACTIVE",
            ":version": item.version,
            ...Object.fromEntries(names.map((name, i) => [`:a${i}`, next[name]])),
          },
        }),
      );
      changed++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { read, changed, ms: performance.now() - started };
}
