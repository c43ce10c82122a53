import { CfnParameter, Stack } from "aws-cdk-lib";
import { type ITable, Table } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IConstruct } from "constructs";
import {
  TableSchema,
  tableSettingParameter,
  tableStreamSettingParameter,
} from "../packages/core/src/table.js";

const PARAMETER_ID = "StageTableName";
const STREAM_PARAMETER_ID = "StageTableStreamArn";

export interface StageTable {
  /** The table's name, as CloudFormation resolves it at deploy time. */
  name: string;
  arn: string;
  /** The ARNs of core's named indexes (no `index/*`). */
  indexArns: string[];
}

/**
 * The table a stage's functions use, in the stack of `scope`: the stage's table setting, an
 * SSM parameter (`/localstays/<stage>/table-name`, created by the Params stack) that
 * CloudFormation reads at every deploy, so `localstays restore --cutover` points the stage
 * at a restored table with a deploy and no code change (docs/operations.md).
 *
 * Each stack reads the setting itself instead of importing the Data stack's value: an
 * exported value cannot change while another stack imports it, which would block cut-over.
 * Everything that names the table goes through here: functions' TABLE_NAME, their IAM grants
 * (table and index ARNs) and the Data stack's TableName output, which the CLI reads.
 */
export function stageTable(scope: IConstruct, stage: string): StageTable {
  const stack = Stack.of(scope);
  const parameter =
    (stack.node.tryFindChild(PARAMETER_ID) as CfnParameter | undefined) ??
    new CfnParameter(stack, PARAMETER_ID, {
      type: "AWS::SSM::Parameter::Value<String>",
      default: tableSettingParameter(stage),
      description: `The table stage ${stage}'s functions use (localstays restore --cutover sets it)`,
    });
  const name = parameter.valueAsString;
  const arn = stack.formatArn({ service: "dynamodb", resource: "table", resourceName: name });
  return {
    name,
    arn,
    indexArns: Object.keys(TableSchema.globalIndexes).map((index) => `${arn}/index/${index}`),
  };
}

/**
 * The stage's table with the stream a consumer reads (the outbox delivery's event source): its
 * stream setting (`/localstays/<stage>/table-stream-arn`, created by the Data stack with its
 * table's stream, rewritten by a cut-over), read by CloudFormation at every deploy like the
 * table setting. A stream's ARN carries the time it was enabled, so it cannot be derived from
 * the table's name. `key` encrypts the table: reading its stream needs it.
 */
export function stageTableStream(scope: IConstruct, stage: string, key: IKey): ITable {
  const stack = Stack.of(scope);
  const streamArn = new CfnParameter(stack, STREAM_PARAMETER_ID, {
    type: "AWS::SSM::Parameter::Value<String>",
    default: tableStreamSettingParameter(stage),
    description: `The table stream stage ${stage}'s outbox delivery reads (localstays restore --cutover sets it)`,
  }).valueAsString;
  return Table.fromTableAttributes(stack, "StageTableWithStream", {
    tableName: stageTable(stack, stage).name,
    tableStreamArn: streamArn,
    encryptionKey: key,
  });
}
