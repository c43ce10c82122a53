import { Duration } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Config, type StackContext } from "sst/constructs";
import { fromOurAlarms } from "./names.js";
import { APP_NAME, stageSettings } from "./stage.js";

/**
 * The stage's customer-managed KMS key and its configuration in SSM. Secrets, when a
 * function needs one, are declared here too (`Config.Secret.create(stack, ...)`); their
 * values are set with `sst secrets set`, never written in code.
 */
export function Params({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);

  const key = new Key(stack, "Key", {
    alias: `alias/${APP_NAME}-${app.stage}`,
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

  const featureX = new Config.Parameter(stack, "ENABLE_FEATURE_X", {
    value: String(settings.features.ENABLE_FEATURE_X),
  });

  return { key, featureX };
}
