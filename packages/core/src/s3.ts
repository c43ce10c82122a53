import type { S3Client } from "@aws-sdk/client-s3";
import { runtime } from "./runtime.js";

export { localS3Settings } from "./runtime.js";

/** The S3 client of the runtime in effect; off AWS, config's `S3_ENDPOINT` points it at s3rver. */
export function s3Client(): S3Client {
  return runtime().s3();
}

/** The photo bucket; a function that needs it and has none configured fails loudly. */
export function bucketName(): string {
  return runtime().bucketName();
}
