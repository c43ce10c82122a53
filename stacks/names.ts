import { createHash } from "node:crypto";
import { ArnFormat, type Stack } from "aws-cdk-lib";
import { APP_NAME } from "./stage.js";

/** `GET /api/v1/hosts/{hostId}` -> `GET-api-v1-hosts-hostId` (construct ids, resource names). */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const LAMBDA_NAME_MAX = 64;

/**
 * A deterministic Lambda name, `localstays-<stage>-<purpose>`: operators find functions by
 * name (the seed's `aws lambda get-function-configuration --function-name ...`), and the
 * Monitoring stack can watch them without importing a CloudFormation export per function,
 * which would block removing a route ("export in use"). Long names keep a hash suffix.
 */
export function lambdaName(stage: string, purpose: string): string {
  const name = `${APP_NAME}-${stage}-${slug(purpose)}`;
  if (name.length <= LAMBDA_NAME_MAX) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, LAMBDA_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** `localstays-<stage>-api-5xx`: alarms share the stage prefix, which their grants match. */
export function alarmName(stage: string, purpose: string): string {
  return `${APP_NAME}-${stage}-${slug(purpose)}`;
}

/** The ARNs of this stage's alarms, for the aws:SourceArn condition of CloudWatch's grants. */
export function alarmArnPattern(stack: Stack, stage: string): string {
  return stack.formatArn({
    service: "cloudwatch",
    resource: "alarm",
    resourceName: `${APP_NAME}-${stage}-*`,
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
