import { ArnFormat, type Stack } from "aws-cdk-lib";
import { stagePrefix, stageResourceName } from "../packages/core/src/names.js";
import {
  type CognitoTriggerName,
  cognitoTriggers,
} from "../packages/functions/src/auth/triggers.js";
import {
  outboxDeliveryFunctionName,
  photoProcessorFunctionName,
  routeFunctionName,
  sesEventsFunctionName,
  triggerFunctionName,
  uploadSweeperFunctionName,
} from "../packages/functions/src/function-names.js";
import { routeKey, routes } from "../packages/functions/src/routes.js";

/**
 * The CDK side of naming (ARNs, grant conditions) and the alarms' names. The prefix and the
 * rules come from core's naming helper (packages/core/src/names.ts), which runtime code can
 * load without aws-cdk-lib.
 */

/** `localstays-<stage>-`: every alarm of a stage starts with it (grants, `localstays watch`). */
export function alarmNamePrefix(stage: string): string {
  return `${stagePrefix(stage)}-`;
}

/** `localstays-<stage>-alarms`: the AWS Chatbot Slack channel configuration of the alarm topic. */
export function alarmChannelName(stage: string): string {
  return stageResourceName(stage, "alarms");
}

/** `localstays-<stage>-api-5xx`: alarms share the stage prefix, which their grants match. */
export function alarmName(stage: string, purpose: string): string {
  return stageResourceName(stage, purpose);
}

/**
 * The purposes of the stage-wide alarms of stacks/Monitoring.ts. Operators and the docs name
 * alarms in full (`localstays-<stage>-image-dlq-not-empty`); a test checks the docs' names.
 */
export const ALARM = {
  api5xx: "api-5xx",
  uploadsDeadLetters: "image-dlq-not-empty",
  uploadsOldestAge: "image-queue-age",
  lambdaThrottles: "lambda-throttles",
  outboxDeadLetters: "outbox-dlq-not-empty",
  mailBounceRate: "mail-bounce-rate",
} as const;

/**
 * Every function Monitoring watches for errors, by name: the route functions, the Cognito
 * triggers, the photo processor and the mail functions.
 */
export function watchedFunctions(stage: string): { what: string; name: string }[] {
  return [
    ...routes.map((route) => ({ what: routeKey(route), name: routeFunctionName(stage, route) })),
    ...(Object.keys(cognitoTriggers) as CognitoTriggerName[]).map((trigger) => ({
      what: `Cognito ${trigger} trigger`,
      name: triggerFunctionName(stage, trigger),
    })),
    { what: "the image processor", name: photoProcessorFunctionName(stage) },
    { what: "the outbox delivery", name: outboxDeliveryFunctionName(stage) },
    { what: "the SES bounce and complaint events", name: sesEventsFunctionName(stage) },
    { what: "the expired-upload sweeper", name: uploadSweeperFunctionName(stage) },
  ];
}

/** `localstays-dev1-errors-image-processor`: the purpose of one function's errors alarm. */
export function functionErrorsPurpose(stage: string, functionName: string): string {
  return `errors ${functionName.slice(`${stagePrefix(stage)}-`.length)}`;
}

/** The name of every alarm of a stage. */
export function alarmNames(stage: string): string[] {
  return [
    ...Object.values(ALARM),
    ...watchedFunctions(stage).map(({ name }) => functionErrorsPurpose(stage, name)),
  ].map((purpose) => alarmName(stage, purpose));
}

/** The ARNs of this stage's alarms, for the aws:SourceArn condition of CloudWatch's grants. */
export function alarmArnPattern(stack: Stack, stage: string): string {
  return stack.formatArn({
    service: "cloudwatch",
    resource: "alarm",
    resourceName: `${alarmNamePrefix(stage)}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Confused-deputy guard for grants to cloudwatch.amazonaws.com: only our alarms, here. */
export function fromOurAlarms(stack: Stack, stage: string) {
  return {
    StringEquals: { "aws:SourceAccount": stack.account },
    ArnLike: { "aws:SourceArn": alarmArnPattern(stack, stage) },
  };
}

/** `localstays-<stage>`: the stage's AWS Budget (stacks/Monitoring.ts). */
export function budgetName(stage: string): string {
  return stagePrefix(stage);
}

/** The budget alerts on actual spend at these percentages of the stage's monthly amount. */
export const BUDGET_ALERT_PERCENTS = [80, 100] as const;

/**
 * Confused-deputy guard for grants to budgets.amazonaws.com: only this account's budgets.
 * Budgets is a global service: its ARNs have no region (`arn:aws:budgets::<account>:budget/..`).
 */
export function fromOurBudgets(stack: Stack) {
  return {
    StringEquals: { "aws:SourceAccount": stack.account },
    ArnLike: { "aws:SourceArn": `arn:${stack.partition}:budgets::${stack.account}:*` },
  };
}

/**
 * `localstays-<stage>-api`: the CodeDeploy application that releases one stack's functions
 * (stacks/release.ts); its deployment groups carry the functions' names.
 */
export function releaseApplicationName(stage: string, stack: "api" | "images"): string {
  return stageResourceName(stage, stack);
}

/** `localstays-<stage>`: the stage's CloudWatch dashboard (stacks/dashboard.ts). */
export function dashboardName(stage: string): string {
  return stagePrefix(stage);
}

/** The dashboard in the CloudWatch console: the Monitoring stack's output, printed by `watch`. */
export function dashboardUrl(region: string, stage: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName(stage)}`;
}
