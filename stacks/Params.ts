import { Duration } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import type { StackContext } from "sst/constructs";
import { stagePrefix } from "../packages/core/src/names.js";
import { tableName, tableSettingParameter } from "../packages/core/src/table.js";
import { fromOurAlarms, fromOurBudgets } from "./names.js";
import { stageSettings } from "./stage.js";

/**
 * The stage's customer-managed KMS key. Secrets, when a
 * function needs one, are declared here too (`Config.Secret.create(stack, ...)`); their
 * values are set with `sst secrets set`, never written in code.
 */
export function Params({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);

  const key = new Key(stack, "Key", {
    alias: `alias/${stagePrefix(app.stage)}`,
    description: `Localstays ${app.stage}: DynamoDB table and alarm topic encryption`,
    enableKeyRotation: true,
    removalPolicy: settings.removalPolicy,
    // Dev stages are torn down often: the shortest deletion window (7 days) for them.
    pendingWindow: settings.protectData ? Duration.days(30) : Duration.days(7),
  });
  // CloudWatch alarms publish to the KMS-encrypted alarm topic (Monitoring) and need the key
  // for that. The AWS-managed SNS key would not do: its policy does not let CloudWatch use it,
  // and the alarms would deploy fine and silently never notify.
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: fromOurAlarms(stack, app.stage),
    }),
  );

  // AWS Budgets publishes the budget's alerts to the same topic and needs the key as much:
  // without this statement they are dropped without a word.
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("budgets.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: fromOurBudgets(stack),
    }),
  );

  // The stage's table setting (stacks/table-setting.ts): created here, before the stacks that
  // read it, naming the Data stack's table. `localstays restore --cutover` overwrites the
  // value; CloudFormation leaves it alone as long as this definition does not change (an
  // edit here would write the original table's name back: cut back over by hand first,
  // docs/operations.md).
  new StringParameter(stack, "TableSetting", {
    parameterName: tableSettingParameter(app.stage),
    stringValue: tableName(app.stage),
    description: `The table stage ${app.stage}'s functions use; see docs/operations.md before editing`,
  });

  // Feature flags reach functions as environment variables (sst.config.ts, typed by core's
  // FunctionEnvironment), not as SST Parameters: nothing binds one, and a bound one would
  // arrive as SST_Parameter_value_* where core does not look.
  return { key };
}
