import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { type AuditRecord, bookkeepingKeys } from "./bookkeeping.js";
import type { MigrationContext } from "./context.js";
import { withRetries } from "./retry.js";

export interface Audit {
  record: AuditRecord;
  close(
    outcome: Exclude<AuditRecord["outcome"], "started">,
    details?: Partial<AuditRecord>,
  ): Promise<void>;
}

/**
 * Writes the audit item of an invocation that changes the table, before it changes
 * anything: a run killed halfway leaves an audit that says `started` and never finished,
 * which is itself worth knowing. (Dry runs, verify and status write nothing at all.)
 */
export async function openAudit(
  documents: DynamoDBDocumentClient,
  context: MigrationContext,
  fields: Pick<AuditRecord, "migrationId" | "action" | "runId" | "resumed">,
): Promise<Audit> {
  const record: AuditRecord = {
    ...fields,
    mode: "apply",
    stage: context.stage,
    table: context.table,
    by: context.operator,
    startedAt: new Date().toISOString(),
    outcome: "started",
  };
  const key = bookkeepingKeys.audit(fields.migrationId, record.startedAt, ulid());
  await withRetries(() =>
    documents.send(new PutCommand({ TableName: context.table, Item: { ...key, ...record } })),
  );
  return {
    record,
    async close(outcome, details = {}) {
      const changes = { ...details, outcome, finishedAt: new Date().toISOString() };
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
      await withRetries(() =>
        documents.send(
          new UpdateCommand({
            TableName: context.table,
            Key: key,
            UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = :a${i}`).join(", ")}`,
            ExpressionAttributeNames: Object.fromEntries(
              entries.map(([name], i) => [`#a${i}`, name]),
            ),
            ExpressionAttributeValues: Object.fromEntries(
              entries.map(([, value], i) => [`:a${i}`, value]),
            ),
          }),
        ),
      );
      Object.assign(record, changes);
    },
  };
}
