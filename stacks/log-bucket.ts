import { Duration } from "aws-cdk-lib";
import {
  BlockPublicAccess,
  BucketEncryption,
  type BucketProps,
  Bucket as CdkBucket,
} from "aws-cdk-lib/aws-s3";
import type { StackContext } from "sst/constructs";
import type { StageSettings } from "./stage.js";

/** A private, encrypted bucket for logs, kept a year in prod and a month elsewhere. */
export function logBucket(
  stack: StackContext["stack"],
  id: string,
  settings: StageSettings,
  props: Pick<BucketProps, "objectOwnership" | "serverAccessLogsBucket" | "serverAccessLogsPrefix">,
): CdkBucket {
  return new CdkBucket(stack, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: settings.removalPolicy,
    autoDeleteObjects: !settings.protectData,
    lifecycleRules: [{ expiration: Duration.days(settings.protectData ? 365 : 30) }],
    ...props,
  });
}
