import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { createdKeys, MalformedNotification } from "@localstays/core/photo/notification";
import { processUpload } from "@localstays/core/photo/processing";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { lambdaRuntime } from "../runtime.js";

/**
 * The photo processor: S3 ObjectCreated on `uploads/` -> SQS -> here. A bad file is not an
 * error (core records it as FAILED and the message is done); anything else fails only its
 * own message, which SQS delivers again and, after three receives, moves to the DLQ
 * (partial batch response, so one bad message never replays the whole batch).
 */
const logger = new Logger({ serviceName: "localstays-images" });
const processor = new BatchProcessor(EventType.SQS);

async function processRecord(record: SQSRecord): Promise<void> {
  let keys: string[];
  try {
    keys = createdKeys(record.body);
  } catch (error) {
    // Retrying cannot make a malformed message well-formed: log it and let it go.
    if (error instanceof MalformedNotification) {
      logger.error("Dropped a message that is not an S3 notification", {
        messageId: record.messageId,
        error,
      });
      return;
    }
    throw error;
  }
  for (const key of keys) {
    const outcome = await processUpload(key);
    logger.info("Processed upload", { messageId: record.messageId, ...outcome });
  }
}

export const handler = async (event: SQSEvent, context: Context) =>
  lambdaRuntime().run(() => processPartialResponse(event, processRecord, processor, { context }));
