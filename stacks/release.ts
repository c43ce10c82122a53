import type { Stack } from "aws-cdk-lib";
import { Alarm } from "aws-cdk-lib/aws-cloudwatch";
import {
  type ILambdaDeploymentConfig,
  LambdaApplication,
  LambdaDeploymentConfig,
  LambdaDeploymentGroup,
} from "aws-cdk-lib/aws-codedeploy";
import { Alias, type Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { NagSuppressions } from "cdk-nag";
import { slug } from "../packages/core/src/names.js";
import { alarmName, releaseApplicationName } from "./names.js";
import type { ReleaseShift } from "./stage.js";

/** The alias every caller of a released function (API route, queue) invokes. */
export const LIVE_ALIAS = "live";

const DEPLOYMENT_CONFIGS: Record<ReleaseShift, ILambdaDeploymentConfig> = {
  "canary-10-percent-5-minutes": LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  "all-at-once": LambdaDeploymentConfig.ALL_AT_ONCE,
};

export interface Releases {
  stage: string;
  application: LambdaApplication;
  deploymentConfig: ILambdaDeploymentConfig;
}

/** The CodeDeploy application of one stack's released functions. */
export function releases(
  stack: Stack,
  stage: string,
  shift: ReleaseShift,
  part: "api" | "images",
): Releases {
  const application = new LambdaApplication(stack, "Releases", {
    applicationName: releaseApplicationName(stage, part),
  });
  return { stage, application, deploymentConfig: DEPLOYMENT_CONFIGS[shift] };
}

/**
 * Publishes `fn`'s current version behind its `live` alias; a changed function is a new
 * version that CodeDeploy shifts onto the alias, and shifts back when a deployment fails or
 * one of the alarms (by purpose, stacks/names.ts) goes off during the shift.
 *
 * The alarms are Monitoring's, named, not referenced: Monitoring comes after this stack, and
 * a reference the other way would be an export that blocks deleting a route (Monitoring.ts).
 * CodeDeploy reads alarms by name when a deployment runs; on a stage's first release the
 * alias is created, not shifted, and Monitoring's alarms exist by the next one.
 */
export function liveAlias(
  fn: LambdaFunction,
  functionName: string,
  { stage, application, deploymentConfig }: Releases,
  alarmPurposes: readonly string[],
): Alias {
  const alias = new Alias(fn, "Live", { aliasName: LIVE_ALIAS, version: fn.currentVersion });
  const group = new LambdaDeploymentGroup(fn, "Release", {
    application,
    alias,
    deploymentConfig,
    deploymentGroupName: functionName,
    alarms: alarmPurposes.map((purpose) =>
      Alarm.fromAlarmName(fn, `Alarm-${slug(purpose)}`, alarmName(stage, purpose)),
    ),
    autoRollback: { failedDeployment: true, stoppedDeployment: false, deploymentInAlarm: true },
  });
  NagSuppressions.addResourceSuppressions(
    group,
    [
      {
        id: "AwsSolutions-IAM4",
        reason:
          "AWSCodeDeployRoleForLambdaLimited is AWS's minimal role for Lambda deployments: " +
          "read the alarms, read and update aliases of functions, nothing else.",
        appliesTo: [
          "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited",
        ],
      },
    ],
    true,
  );
  return alias;
}
