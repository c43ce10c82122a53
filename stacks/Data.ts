import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import { type StackContext, Table, use } from "sst/constructs";
import { TableSchema, tableName } from "../packages/core/src/table.js";
import { Params } from "./Params.js";
import { stageSettings } from "./stage.js";

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
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: settings.protectData },
        removalPolicy: settings.removalPolicy,
      },
    },
  });

  if (!settings.protectData) {
    NagSuppressions.addResourceSuppressions(
      table,
      [
        {
          id: "AwsSolutions-DDB3",
          reason: `PITR is on in prod only (stacks/stage.ts); ${app.stage} holds test data and is torn down.`,
        },
      ],
      true,
    );
  }

  const indexArns = Object.keys(TableSchema.globalIndexes).map(
    (index) => `${table.tableArn}/index/${index}`,
  );

  /**
   * Item read/write on the table and its named indexes (no `index/*`, no table management)
   * plus the key operations DynamoDB performs with the caller's credentials.
   */
  function grantReadWriteData(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ITEM_ACTIONS, resources: [table.tableArn, ...indexArns] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: KEY_ACTIONS, resources: [key.keyArn] }),
    );
  }

  stack.addOutputs({ TableName: table.tableName });
  return { table, grantReadWriteData };
}
