import { Duration } from "aws-cdk-lib";
import {
  BlockPublicAccess,
  BucketEncryption,
  Bucket as CdkBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { Bucket, type StackContext } from "sst/constructs";
import { UPLOAD_PREFIX } from "../packages/core/src/storage.js";
import { stageSettings } from "./stage.js";

/**
 * The photo bucket. Encryption is SSE-S3, not the stage's KMS key, on purpose: browsers
 * upload with presigned POSTs, and with SSE-KMS every signer and reader (API functions, the
 * image processor, a later CloudFront origin) would need kms:GenerateDataKey/Decrypt on the
 * key and each object would cost KMS requests. The objects are listing photos that become
 * public once approved; the personal data lives in DynamoDB under the customer-managed key.
 */
export function Storage({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  // Server access logs (cdk-nag S1). The destination cannot log to itself and must use
  // SSE-S3 (S3 does not deliver access logs to SSE-KMS buckets).
  const accessLogs = new CdkBucket(stack, "AccessLogs", {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    removalPolicy: settings.removalPolicy,
    autoDeleteObjects: !settings.protectData,
    lifecycleRules: [{ expiration: Duration.days(settings.protectData ? 365 : 30) }],
  });
  NagSuppressions.addResourceSuppressions(accessLogs, [
    {
      id: "AwsSolutions-S1",
      reason: "This is the access-log destination bucket; logging it into itself would loop.",
    },
  ]);

  const bucket = new Bucket(stack, "Photos", {
    cors: [
      {
        // Presigned POST from the dashboard; GET/HEAD to show the processed images.
        allowedMethods: ["POST", "GET", "HEAD"],
        allowedOrigins: [...settings.corsOrigins],
        allowedHeaders: ["*"],
        maxAge: "1 hour",
      },
    ],
    cdk: {
      bucket: {
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        versioned: settings.bucketVersioning,
        removalPolicy: settings.removalPolicy,
        autoDeleteObjects: !settings.protectData,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: "photos/",
        lifecycleRules: [
          // Originals are only needed until the processor has written the variants.
          { id: "expire-uploads", prefix: UPLOAD_PREFIX, expiration: Duration.days(2) },
          {
            id: "abort-incomplete-multipart",
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
          ...(settings.bucketVersioning
            ? [{ id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(30) }]
            : []),
        ],
      },
    },
    // Room for the photos issue: `notifications: { uploads: { type: "queue", ... } }` on
    // UPLOAD_PREFIX, consumed by the Images stack.
  });

  return { bucket };
}
