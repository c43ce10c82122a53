import { CfnParameter, Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { TableSchema, tableSettingParameter } from "../packages/core/src/table.js";

const PARAMETER_ID = "StageTableName";

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
