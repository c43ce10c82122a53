import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { createdKeys, MalformedNotification } from "@localstays/core/photo/notification";
import { processUpload } from "@localstays/core/photo/processing";
import { parseUploadKey } from "@localstays/core/storage";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { SERVICE } from "../metrics.js";
import { type InvocationLog, recordPhoto, Telemetry, type Tracing } from "../observability.js";
import { lambdaRuntime } from "../runtime.js";

/**
 * The photo processor: S3 ObjectCreated on `uploads/` -> SQS -> here. A bad file is not an
 * error (core records it as FAILED and the message is done); anything else fails only its
 * own message, which SQS delivers again and, after three receives, moves to the DLQ
 * (partial batch response, so one bad message never replays the whole batch).
 *
 * Each photo's log lines carry its hostId, listingId and imageId — the ids the upload
 * request logged — and, where the stage traces, an X-Ray subsegment annotated with them.
 */
const telemetry = new Telemetry(SERVICE.images);
export const logger = telemetry.logger;

async function processKey(key: string, log: InvocationLog, tracing: Tracing, stage: string) {
  const ref = parseUploadKey(key);
  const ids = ref ? { hostId: ref.hostId, listingId: ref.listingId, imageId: ref.imageId } : {};
  const photo = log.with(ids);
  const end = tracing.part("photo", ids);
  try {
    const started = performance.now();
    const outcome = await processUpload(key);
    const processingMs = Math.round(performance.now() - started);
    photo.info("Processed upload", { ...outcome, processingMs });
    if (outcome.result === "READY") {
      recordPhoto(telemetry, photo, stage, {
        result: "READY",
        processingMs,
        megapixels: outcome.pixels / 1_000_000,
      });
    } else if (outcome.result === "FAILED") {
      recordPhoto(telemetry, photo, stage, {
        result: "FAILED",
        reason: outcome.reason,
        processingMs,
      });
    }
  } catch (error) {
    photo.error("Processing failed; SQS delivers the message again", error);
    throw error;
  } finally {
    end();
  }
}

export const handler = async (event: SQSEvent, context: Context) => {
  const { runtime, tracing } = await lambdaRuntime(SERVICE.images);
  const stage = runtime.config.STAGE;
  const log = telemetry.begin(stage, context);
  // One per invocation: the local stack runs invocations side by side in one process.
  const batch = new BatchProcessor(EventType.SQS);
  const processRecord = async (record: SQSRecord): Promise<void> => {
    const message = log.with({ messageId: record.messageId });
    let keys: string[];
    try {
      keys = createdKeys(record.body);
    } catch (error) {
      // Retrying cannot make a malformed message well-formed: log it and let it go.
      if (error instanceof MalformedNotification) {
        message.error("Dropped a message that is not an S3 notification", error);
        return;
      }
      throw error;
    }
    for (const key of keys) await processKey(key, message, tracing, stage);
  };
  return runtime.run(() =>
    tracing.invocation("processor", () =>
      processPartialResponse(event, processRecord, batch, { context }),
    ),
  );
};
