import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../src/ports.js";
import { type S3Service, s3ClientConfig, startS3 } from "../src/s3.js";

let s3: S3Service;
const directory = mkdtempSync(join(tmpdir(), "local-s3-"));
const Bucket = "photos-test";
// No retries: a browser's POST or the seed's is not retried either, so a 500 must show.
const client = () => new S3Client({ ...s3ClientConfig(s3.endpoint, "eu-north-1"), maxAttempts: 1 });

beforeAll(async () => {
  s3 = await startS3({ port: await freePort(), directory });
  await client().send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  await s3.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("the local S3", () => {
  it("stores an object while another one under the same prefix is deleted, as S3 does", async () => {
    // A listing's next photo arrives while the processor deletes the last one's upload.
    const c = client();
    const key = (n: number) => `uploads/host_1/listing_1/image_${n}`;
    await c.send(new PutObjectCommand({ Bucket, Key: key(0), Body: "photo" }));
    for (let n = 1; n <= 60; n++) {
      await Promise.all([
        c.send(new DeleteObjectCommand({ Bucket, Key: key(n - 1) })),
        c.send(new PutObjectCommand({ Bucket, Key: key(n), Body: "photo" })),
      ]);
    }
    const { Contents = [] } = await c.send(
      new ListObjectsV2Command({ Bucket, Prefix: "uploads/" }),
    );
    expect(Contents.map((o) => o.Key)).toEqual([key(60)]);
    const { Contents: none = [] } = await c.send(
      new ListObjectsV2Command({ Bucket, Prefix: "uploads/host_1/listing_1/image_0" }),
    );
    expect(none).toEqual([]);
  });
});
