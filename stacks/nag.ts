import type { Stack } from "aws-cdk-lib";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";

const BASIC_EXECUTION_ROLE =
  "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/**
 * cdk-nag findings that every SST Function of this app shares, suppressed on the function
 * itself (and its role), each with the reason it is accepted. Anything else must be fixed
 * or suppressed next to the resource it concerns.
 */
export function suppressFunctionDefaults(fn: IConstruct): void {
  NagSuppressions.addResourceSuppressions(
    fn,
    [
      {
        id: "AwsSolutions-IAM4",
        reason:
          "AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs; " +
          "a hand-written copy would be the same three log actions.",
        appliesTo: [BASIC_EXECUTION_ROLE],
      },
      {
        id: "AwsSolutions-IAM5",
        reason:
          "X-Ray tracing (SST's default, tracing: active): xray:PutTraceSegments and " +
          "PutTelemetryRecords do not support resource-level permissions.",
        appliesTo: ["Resource::*"],
      },
      {
        id: "AwsSolutions-L1",
        reason:
          "Pinned to nodejs20.x on purpose: the repository's toolchain and tests run on " +
          "Node 20 (package.json engines); the runtime moves with that floor, not ahead of it.",
      },
    ],
    true,
  );
}

/**
 * Object-level grants on the photo bucket name a key prefix (`<bucket>/uploads/*`): object
 * keys carry generated ids, so a grant cannot name the objects one by one. Suppressed for
 * exactly those prefixes, nothing wider.
 */
export function suppressBucketPrefixGrants(fn: IConstruct, prefixes: readonly string[]): void {
  const escaped = (prefix: string) => prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  NagSuppressions.addResourceSuppressions(
    fn,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          `Object actions on the photo bucket's ${prefixes.join(" and ")} prefixes only: keys ` +
          "carry generated ids, so the grant names the prefix, never the whole bucket.",
        appliesTo: prefixes.map((prefix) => ({
          regex: `/^Resource::.*\\/${escaped(prefix)}\\*$/`,
        })),
      },
    ],
    true,
  );
}

/**
 * Lambda functions that SST and CDK add to a stack for their own use: SST's per-stack
 * custom-resource handler, CDK's log-retention provider (which applies the stage's
 * retention to every function's log group) and CDK's S3 notifications handler (which
 * writes the upload notification, stacks/Images.ts). Their runtime and role are not ours
 * to set.
 */
export function suppressFrameworkFunctions(stack: Stack): void {
  for (const child of stack.node.children) {
    const isHandler = child.node.id === "CustomResourceHandler";
    const isLogRetention = child.node.id.startsWith("LogRetention");
    const isNotifications = child.node.id.startsWith("BucketNotificationsHandler");
    if (!isHandler && !isLogRetention && !isNotifications) continue;
    const owner = isHandler
      ? "SST's custom-resource handler"
      : isLogRetention
        ? "CDK's log-retention provider"
        : "CDK's S3 bucket-notifications handler";
    NagSuppressions.addResourceSuppressions(
      child,
      [
        {
          id: "AwsSolutions-IAM4",
          reason: `${owner} uses AWSLambdaBasicExecutionRole, which only lets it write its own logs.`,
          appliesTo: [BASIC_EXECUTION_ROLE],
        },
        {
          id: "AwsSolutions-L1",
          reason: `${owner} is created by the framework, which pins its runtime; not configurable here.`,
        },
        ...(isLogRetention
          ? [
              {
                id: "AwsSolutions-IAM5",
                reason:
                  "The log-retention provider sets retention on log groups Lambda creates on first " +
                  "invocation, so logs:PutRetentionPolicy cannot name them up front.",
                appliesTo: ["Resource::*"],
              },
            ]
          : []),
      ],
      true,
    );
  }
}
