import { ArnFormat, type Stack } from "aws-cdk-lib";
import { stagePrefix, stageResourceName } from "../packages/core/src/names.js";

/**
 * The CDK side of naming (ARNs, grant conditions). The names themselves come from core's
 * naming helper (packages/core/src/names.ts), which runtime code can load without aws-cdk-lib.
 */

/** `localstays-<stage>-`: every alarm of a stage starts with it (grants, `localstays watch`). */
export function alarmNamePrefix(stage: string): string {
  return `${stagePrefix(stage)}-`;
}

/** `localstays-<stage>-api-5xx`: alarms share the stage prefix, which their grants match. */
export function alarmName(stage: string, purpose: string): string {
  return stageResourceName(stage, purpose);
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
