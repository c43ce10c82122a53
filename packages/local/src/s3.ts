import { rm } from "node:fs/promises";
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { localS3Settings } from "@localstays/core/s3";
import { UPLOAD_CORS as CORS } from "@localstays/functions/cors";
import S3rver from "s3rver";
import type { RunningService } from "./child-process.js";

/**
 * s3rver does not verify SigV4 signatures, but it refuses any access key id except its own
 * ("InvalidAccessKeyId"), so every local client uses this pair.
 */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** The S3 client settings that work against s3rver (core's, plus s3rver's key). */
export function s3ClientConfig(endpoint: string, region: string): S3ClientConfig {
  return { ...localS3Settings(endpoint), region, credentials: S3RVER_CREDENTIALS };
}

export interface S3Service extends RunningService {
  /** s3rver emits an `event` (an S3 notification record) for every object it stores. */
  server: S3rver;
}

/** s3rver in-process: it is a Koa app and starts in a few milliseconds. */
export async function startS3(options: { port: number; directory: string }): Promise<S3Service> {
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
  });
  keepDirectories(server);
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    server,
    stop: () => server.close(),
  };
}

/**
 * s3rver stores a key `a/b/c` as a file in directory `a/b/`, and its delete removes the
 * directories it leaves empty. An upload into the same directory at that moment (another
 * photo of the same listing while the processor deletes the last one's upload) has just
 * created the directory and then cannot write its file: a 500 for the POST, which S3, having
 * no directories, never answers. So deletes here remove the object's files and keep the
 * directories (listings only read object files; an empty directory lists nothing).
 */
function keepDirectories(server: S3rver): void {
  const { store } = server;
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ["object", "object.md5", "metadata.json"].map((resource) =>
        rm(store.getResourcePath(bucket, key, resource), { force: true }),
      ),
    );
  };
}

/**
 * The photo bucket's CORS rule in AWS (stacks/Storage.ts) with the dev stages' origins: the
 * dashboard posts presigned uploads to the bucket from its own origin.
 */
const UPLOAD_CORS = {
  CORSRules: [
    {
      AllowedMethods: [...CORS.allowMethods],
      AllowedOrigins: ["*"],
      AllowedHeaders: [...CORS.allowHeaders],
      MaxAgeSeconds: CORS.maxAgeSeconds,
    },
  ],
};

/**
 * Creates the bucket unless it exists (its objects survive a restart) and sets its CORS rule
 * every time, so a data directory from before the rule gets it too.
 */
export async function ensureBucket(client: S3Client, name: string): Promise<boolean> {
  let created = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: name }));
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) {
      throw error;
    }
    await client.send(new CreateBucketCommand({ Bucket: name }));
    created = true;
  }
  await client.send(new PutBucketCorsCommand({ Bucket: name, CORSConfiguration: UPLOAD_CORS }));
  return created;
}

export function s3Client(endpoint: string, region: string): S3Client {
  return new S3Client(s3ClientConfig(endpoint, region));
}
