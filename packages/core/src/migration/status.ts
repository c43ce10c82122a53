import {
  type AuditRecord,
  bookkeepingKeys,
  type MigrationStatus,
  type StateRecord,
} from "./bookkeeping.js";
import { documentsOf, type MigrationContext } from "./context.js";
import type { Migration } from "./definition.js";
import { readRecords, readSegments, readState, sumSegments } from "./state.js";

export interface StatusRow {
  migrationId: string;
  description: string;
  status: MigrationStatus;
  state?: StateRecord;
  /** A run in progress (or interrupted): how far its segments got. */
  progress?: { segmentsDone: number; totalSegments: number; changed: number; read: number };
  lastAudit?: AuditRecord;
}

/** Where each migration stands on the table; reads only bookkeeping items. */
export async function migrationStatus(
  migrations: readonly Migration[],
  context: Pick<MigrationContext, "client" | "table">,
): Promise<StatusRow[]> {
  const documents = documentsOf(context.client);
  return Promise.all(
    migrations.map(async (migration): Promise<StatusRow> => {
      const row = { migrationId: migration.id, description: migration.description };
      const state = await readState(documents, context.table, migration.id);
      if (!state) return { ...row, status: "pending" };
      const audits = (await readRecords(
        documents,
        context.table,
        migration.id,
        bookkeepingKeys.auditPrefix,
      )) as unknown as AuditRecord[];
      const lastAudit = audits.at(-1);
      const result: StatusRow = {
        ...row,
        status: state.status,
        state,
        ...(lastAudit ? { lastAudit } : {}),
      };
      if (state.status === "running") {
        const segments = await readSegments(documents, context.table, state);
        const totals = sumSegments(segments);
        result.progress = {
          segmentsDone: segments.filter((s) => s.done).length,
          totalSegments: state.totalSegments,
          changed: totals.changed,
          read: totals.read,
        };
      }
      return result;
    }),
  );
}
