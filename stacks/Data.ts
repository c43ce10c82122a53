import { Tags } from "aws-cdk-lib";
import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";
import { type StackContext, Table, use } from "sst/constructs";
import { TableSchema, tableName } from "../packages/core/src/table.js";
import { BACKUP_TAG, backupPlan } from "./backup.js";
import { Params } from "./Params.js";
import { stageSettings } from "./stage.js";
import { stageTable } from "./table-setting.js";

/** What the handlers do with items: single-item CRUD, queries, batches and transactions. */
const ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
/** A CMK-encrypted table needs these on the key from every caller (DynamoDB uses it on their behalf). */
const KEY_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"];

export function Data({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { key } = use(Params);

  const table = new Table(stack, "Table", {
    // Passed through unchanged: the entities, the local stack and this table share one schema.
    fields: TableSchema.fields,
    primaryIndex: TableSchema.primaryIndex,
    globalIndexes: TableSchema.globalIndexes,
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
   * Item read/write on the stage's table (its table setting, read in the grantee's stack) and
   * its named indexes (no `index/*`, no table management) plus the key operations DynamoDB
   * performs with the caller's credentials.
   */
  function grantReadWriteData(grantee: IGrantable & IConstruct): void {
    const { arn, indexArns } = stageTable(grantee, app.stage);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ITEM_ACTIONS, resources: [arn, ...indexArns] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: KEY_ACTIONS, resources: [key.keyArn] }),
    );
  }

  // The table the stage uses (the setting), not necessarily the one created above: the CLI's
  // stage target and `localstays verify` read this output.
  stack.addOutputs({ TableName: stageTable(stack, app.stage).name });
  return { table, grantReadWriteData };
}
