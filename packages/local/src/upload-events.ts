import { createdKeys } from "@localstays/core/photo/notification";
import type { Runtime } from "@localstays/core/runtime";
import { UPLOAD_PREFIX } from "@localstays/core/storage";
import {
  PHOTO_PROCESSOR,
  photoProcessorFunctionName,
  uploadsQueueName,
} from "@localstays/functions/function-names";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type S3rver from "s3rver";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";

/**
 * In AWS: S3 ObjectCreated on `uploads/` -> SQS -> the photo processor, redelivered until
 * the third receive, then the DLQ. Here: s3rver's event for every stored object becomes the
 * same SQS-shaped event (S3's notification as the message body, the key URL-encoded as S3
 * writes it) for the same handler, with the same three receives. There is no SQS emulator
 * on npm, and a real queue would add nothing the handler can tell apart.
 */
export interface UploadEventOptions {
  server: S3rver;
  bucket: string;
  stage: string;
  region: string;
  log: Log;
  /** The processor's timeout in AWS (Images stack). */
  timeoutMs?: number;
  /** Before the 2nd and 3rd receive; SQS waits a visibility timeout, here a moment. */
  retryDelaysMs?: readonly number[];
  /** The handler string; the processor's unless a test swaps in its own. */
  handler?: string;
  /** The stack's configuration, which each invocation runs in. */
  runtime?: Runtime;
}

export interface UploadEvents {
  /** Resolves when no delivery is waiting or running. */
  idle(): Promise<void>;
  /** Messages that failed three receives (the local DLQ), newest last. */
  deadLetters: { key: string; error: string }[];
  stop(): Promise<void>;
}

const MAX_RECEIVES = 3;
/** The processor is CPU-bound: two at a time on a laptop, like a small reserved concurrency. */
const CONCURRENCY = 2;

/** S3 event keys are form-encoded per segment: spaces as "+", slashes kept. */
export function s3EventKey(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, "+"))
    .join("/");
}

interface S3Record {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

export function startUploadEvents(options: UploadEventOptions): UploadEvents {
  const { server, bucket, stage, region, log } = options;
  const retryDelays = options.retryDelaysMs ?? [500, 2000];
  const functionName = photoProcessorFunctionName(stage);
  const waiting: S3Record[] = [];
  const deadLetters: UploadEvents["deadLetters"] = [];
  let running = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];
  const handler = loadHandler(options.handler ?? PHOTO_PROCESSOR.handler);

  const onEvent = (event: { Records?: S3Record[] }) => {
    for (const record of event.Records ?? []) {
      if (record.s3.bucket.name !== bucket) continue;
      if (!record.eventName.startsWith("ObjectCreated:")) continue;
      if (!record.s3.object.key.startsWith(UPLOAD_PREFIX)) continue; // the notification filter
      waiting.push(record);
    }
    pump();
  };
  server.on("event", onEvent);

  function pump() {
    while (!stopped && running < CONCURRENCY && waiting.length) {
      const record = waiting.shift() as S3Record;
      running++;
      deliver(record)
        .catch((error) => log.error("Image processor delivery failed", error))
        .finally(() => {
          running--;
          pump();
          if (!running && !waiting.length) {
            for (const resolve of idleWaiters) resolve();
            idleWaiters = [];
          }
        });
    }
  }

  async function deliver(record: S3Record) {
    const key = record.s3.object.key;
    const body = JSON.stringify({
      Records: [
        {
          ...record,
          eventSource: "aws:s3",
          awsRegion: region,
          s3: { ...record.s3, object: { ...record.s3.object, key: s3EventKey(key) } },
        },
      ],
    });
    // The handler decodes what S3 encodes; a mismatch here would be a bug in the wiring.
    if (createdKeys(body)[0] !== key) throw new Error(`Key ${key} does not survive encoding`);
    const messageId = crypto.randomUUID();
    let lastError = "";
    for (let receive = 1; receive <= MAX_RECEIVES && !stopped; receive++) {
      const event: SQSEvent = {
        Records: [
          {
            messageId,
            receiptHandle: `local-${messageId}-${receive}`,
            body,
            attributes: {
              ApproximateReceiveCount: String(receive),
              SentTimestamp: String(Date.now()),
              SenderId: "s3.amazonaws.com",
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: "",
            eventSource: "aws:sqs",
            eventSourceARN: `arn:aws:sqs:${region}:000000000000:${uploadsQueueName(stage)}`,
            awsRegion: region,
          },
        ],
      };
      try {
        const result = (await invokeHandler(await handler, event, {
          functionName,
          region,
          timeoutMs: options.timeoutMs ?? 60_000,
          runtime: options.runtime,
        })) as SQSBatchResponse | undefined;
        if (!result?.batchItemFailures?.length) return;
        lastError = "the handler reported the message as failed";
      } catch (error) {
        lastError = (error as Error).message;
      }
      const delay = retryDelays[receive - 1];
      if (receive < MAX_RECEIVES && delay !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (stopped) return;
    deadLetters.push({ key, error: lastError });
    log.error(`Image processor gave up on ${key} after ${MAX_RECEIVES} receives: ${lastError}`);
  }

  return {
    deadLetters,
    idle() {
      if (!running && !waiting.length) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      server.off("event", onEvent);
      waiting.length = 0;
    },
  };
}
