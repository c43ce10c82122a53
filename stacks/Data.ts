import { Tags } from "aws-cdk-lib";
import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";
import { type StackContext, Table, use } from "sst/constructs";
import { TableSchema, tableName, tableStreamSettingParameter } from "../packages/core/src/table.js";
import { BACKUP_TAG, backupPlan } from "./backup.js";
import { Params } from "./Params.js";
import { stageSettings } from "./stage.js";
import { stageTable } from "./table-setting.js";

/** What a reader does with items: single-item and batch reads, queries. */
const READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
/** What a writer does besides reading: single-item writes, batches and transactions. */
const WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];
/**
 * A CMK-encrypted table needs these on the key from every caller (DynamoDB uses it on their
 * behalf): a reader only decrypts, a writer also encrypts.
 */
const KEY_ACTIONS = {
  read: ["kms:Decrypt", "kms:DescribeKey"],
  write: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
} as const;

/** What a function may do to the table's items: read them, or also write them. */
export type TableAccess = keyof typeof KEY_ACTIONS;

export function Data({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { key } = use(Params);

  const table = new Table(stack, "Table", {
    // Passed through unchanged: the entities, the local stack and this table share one schema.
    fields: TableSchema.fields,
    primaryIndex: TableSchema.primaryIndex,
    globalIndexes: TableSchema.globalIndexes,
    stream: TableSchema.stream,
    cdk: {
      table: {
        tableName: tableName(app.stage),
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
        deletionProtection: settings.protectData,
        // SST's Table hard-codes `pointInTimeRecovery: true`, and CDK refuses both spellings
        // at once: clear the legacy one and state PITR per stage with the current one.
        pointInTimeRecovery: undefined,
        pointInTimeRecoverySpecification: {
          pointInTimeRecoveryEnabled: settings.pointInTimeRecovery,
        },
        removalPolicy: settings.removalPolicy,
      },
    },
  });

  if (!settings.pointInTimeRecovery) {
    NagSuppressions.addResourceSuppressions(
      table,
      [
        {
          id: "AwsSolutions-DDB3",
          reason: `PITR is on in staging and prod only (stacks/stage.ts); ${app.stage} holds test data and is torn down.`,
        },
      ],
      true,
    );
  }

  if (settings.backup) {
    // By tag, so a restored table joins the plan once the cut-over has tagged it.
    Tags.of(table).add(BACKUP_TAG, app.stage);
    backupPlan(stack, app.stage, settings, key);
  }

  /**
   * Item access on the stage's table (its table setting, read in the grantee's stack) and its
   * named indexes (no `index/*`, no table management) plus the key operations DynamoDB
   * performs with the caller's credentials.
   */
  function grantTableAccess(grantee: IGrantable & IConstruct, access: TableAccess): void {
    const actions = access === "write" ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS;
    const { arn, indexArns } = stageTable(grantee, app.stage);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [arn, ...indexArns] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...KEY_ACTIONS[access]], resources: [key.keyArn] }),
    );
  }
  const grantReadWriteData = (grantee: IGrantable & IConstruct) =>
    grantTableAccess(grantee, "write");

  // The stream the outbox delivery reads (stacks/Mail.ts): a setting beside the table setting,
  // naming this table's stream until `localstays restore --cutover` rewrites both.
  new StringParameter(stack, "TableStreamSetting", {
    parameterName: tableStreamSettingParameter(app.stage),
    stringValue: table.cdk.table.tableStreamArn as string,
    description: `The table stream stage ${app.stage}'s outbox delivery reads; see docs/operations.md before editing`,
  });

  // The table the stage uses (the setting), not necessarily the one created above: the CLI's
  // stage target and `localstays verify` read this output.
  stack.addOutputs({ TableName: stageTable(stack, app.stage).name });
  return { table, grantTableAccess, grantReadWriteData };
}
