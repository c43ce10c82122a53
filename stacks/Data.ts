import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import { type StackContext, Table, use } from "sst/constructs";
import { TableSchema, tableName } from "../packages/core/src/table.js";
import { Params } from "./Params.js";
import { stageSettings } from "./stage.js";

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
   * Item access on the table and its named indexes (no `index/*`, no table management) plus
   * the key operations DynamoDB performs with the caller's credentials.
   */
  function grantTableAccess(grantee: IGrantable, access: TableAccess): void {
    const actions = access === "write" ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [table.tableArn, ...indexArns] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...KEY_ACTIONS[access]], resources: [key.keyArn] }),
    );
  }
  const grantReadWriteData = (grantee: IGrantable) => grantTableAccess(grantee, "write");

  stack.addOutputs({ TableName: table.tableName });
  return { table, grantTableAccess, grantReadWriteData };
}
