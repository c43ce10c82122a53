import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { runtime } from "./runtime.js";

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

/**
 * The S3 client of the runtime in effect; off AWS, config's `S3_ENDPOINT` points it at
 * s3rver. Here, not in runtime.ts, so that only the functions that use S3 bundle its client.
 */
export function s3Client(): S3Client {
  return runtime().memo(S3Client, (rt) => {
    const endpoint = rt.config.S3_ENDPOINT;
    return rt.client(
      new S3Client({
        ...rt.clientSettings(undefined),
        ...(endpoint ? localS3Settings(endpoint) : {}),
      }),
    );
  });
}

/** The photo bucket; a function that needs it and has none configured fails loudly. */
export function bucketName(): string {
  return runtime().bucketName();
}
