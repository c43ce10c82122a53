/**
 * Data migrations (`localstays migrate`): raw-item changes to a stage's table, scanned in
 * parallel, written conditionally in checkpointed transactions, journaled for revert and
 * audited. Not exported from core's index: handlers never run migrations. Importing this
 * module imports the entities the migrations use, which bind the configured table.
 */

export { applyMigration as run, type RunReport } from "./apply.js";
export * from "./bookkeeping.js";
export {
  DEFAULT_SEGMENTS,
  describeTable,
  documentsOf,
  type MigrationContext,
  MigrationError,
  type ProgressEvent,
} from "./context.js";
export * from "./definition.js";
export { dryRun } from "./dry-run.js";
export * as Migrations from "./index.js";
export { awsOperator, type Operator, osOperator } from "./operator.js";
export { findMigration as find, MIGRATIONS as all } from "./registry.js";
export { type RevertReport, revertMigration as revert } from "./revert.js";
export { migrationStatus as status, type StatusRow } from "./status.js";
export { type VerifyReport, verifyMigration as verify } from "./verify.js";
