import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createdKeys } from "@localstays/core/photo/notification";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLog } from "../src/log.js";
import { freePort } from "../src/ports.js";
import { type S3Service, s3Client, startS3 } from "../src/s3.js";
import { s3EventKey, startUploadEvents, type UploadEvents } from "../src/upload-events.js";
import { sqsSeen } from "./fixtures/handlers.js";

let s3: S3Service;
let events: UploadEvents;
const directory = mkdtempSync(join(tmpdir(), "upload-events-"));
const bucket = "uploads-test";
const client = () => s3Client(s3.endpoint, "eu-north-1");

beforeAll(async () => {
  s3 = await startS3({ port: await freePort(), directory });
  await client().send(new CreateBucketCommand({ Bucket: bucket }));
  events = startUploadEvents({
    server: s3.server,
    bucket,
    stage: "test",
    region: "eu-north-1",
    log: createLog({ quiet: true }),
    retryDelaysMs: [10, 10],
    handler: "packages/local/test/fixtures/handlers.flakySqs",
  });
});
afterAll(async () => {
  await events.stop();
  await s3.stop();
  rmSync(directory, { recursive: true, force: true });
});

async function put(key: string) {
  await client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }));
  await events.idle();
  return sqsSeen.filter((seen) => seen.key === s3EventKey(key));
}

describe("upload events on the local stack", () => {
  it("encode keys as S3 does, and the processor's parser decodes them", () => {
    const key = "uploads/a b/ü+ö/x&y=z.jpg";
    expect(s3EventKey(key)).toBe("uploads/a+b/%C3%BC%2B%C3%B6/x%26y%3Dz.jpg");
    const body = JSON.stringify({
      Records: [{ eventName: "ObjectCreated:Post", s3: { object: { key: s3EventKey(key) } } }],
    });
    expect(createdKeys(body)).toEqual([key]);
  });

  it("deliver an upload once when the handler succeeds", async () => {
    expect((await put("uploads/h/l/ok")).map((s) => s.receive)).toEqual([1]);
  });

  it("redeliver a failed message, up to the third receive", async () => {
    expect((await put("uploads/h/l/fail-2")).map((s) => s.receive)).toEqual([1, 2, 3]);
    expect(events.deadLetters).toEqual([]);
  });

  it("dead-letter a message that fails three receives", async () => {
    expect((await put("uploads/h/l/fail-9")).map((s) => s.receive)).toEqual([1, 2, 3]);
    expect(events.deadLetters).toEqual([
      { key: "uploads/h/l/fail-9", error: "the handler reported the message as failed" },
    ]);
  });

  it("ignore objects outside uploads/ (the notification's prefix filter)", async () => {
    expect(await put("images/l/i/xl.webp")).toEqual([]);
  });
});
