import { ArnFormat, type Stack } from "aws-cdk-lib";
import { slug } from "../packages/functions/src/function-names.js";
import { APP_NAME } from "./stage.js";

/** `localstays-<stage>-`: every alarm of a stage starts with it (grants, `localstays watch`). */
export function alarmNamePrefix(stage: string): string {
  return `${APP_NAME}-${stage}-`;
}

/** `localstays-<stage>-api-5xx`: alarms share the stage prefix, which their grants match. */
export function alarmName(stage: string, purpose: string): string {
  return `${alarmNamePrefix(stage)}${slug(purpose)}`;
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
