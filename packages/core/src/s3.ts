import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { config } from "./config.js";

/**
 * The one S3 client of the process, like dynamo.ts for DynamoDB: off AWS, config's
 * `S3_ENDPOINT` points it at s3rver and nothing else in the code knows the difference.
 */
let client: S3Client | undefined;

/**
 * Settings for an S3 endpoint other than AWS's. Path-style because s3rver's virtual-host
 * routing needs DNS for `<bucket>.127.0.0.1`. The checksum settings are not optional: with
 * the SDK's default (checksums on every upload, aws-chunked framing) streamed uploads fail or
 * are stored with the chunk framing inside the object (FINDINGS.md).
 */
export function localS3Settings(endpoint: string): S3ClientConfig {
  return {
    endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
}

export function s3Client(): S3Client {
  if (!client) {
    const { AWS_REGION, S3_ENDPOINT } = config();
    client = new S3Client({
      region: AWS_REGION,
      ...(S3_ENDPOINT ? localS3Settings(S3_ENDPOINT) : {}),
    });
  }
  return client;
}

/** The photo bucket; a function that needs it and has none configured fails loudly. */
export function bucketName(): string {
  const { BUCKET_NAME } = config();
  if (!BUCKET_NAME) throw new Error("BUCKET_NAME is not set: this function has no photo bucket");
  return BUCKET_NAME;
}

export function resetS3Client(): void {
  client?.destroy();
  client = undefined;
}
