import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { deliver } from "@localstays/core/mail/delivery";
import { OUTBOX_ENTITY } from "@localstays/core/mail/outbox";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { SERVICE } from "../metrics.js";
import { lambdaRuntime } from "../runtime.js";

/**
 * The outbox's delivery: the table's stream -> here, one SES mail per new outbox item
 * (core's `deliver`, idempotent by outbox id). The event source mapping only passes INSERTs
 * of outbox items (stacks/Mail.ts); anything else that arrives is ignored here too. A failed
 * record is reported alone (partial batch response): the stream retries from it, and after
 * the mapping's last retry its batch's position goes to the DLQ while the item stays
 * PENDING in the table (docs/operations.md: redrive).
 */
const logger = new Logger({ serviceName: "localstays-mail" });
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The outbox id of a stream record that announces a new outbox item, else undefined. */
export function outboxIdOf(record: DynamoDBRecord): string | undefined {
  if (record.eventName !== "INSERT") return undefined;
  const image = record.dynamodb?.NewImage;
  if (image?.__edb_e__?.S !== OUTBOX_ENTITY) return undefined;
  return image.outboxId?.S;
}

async function processRecord(record: DynamoDBRecord): Promise<void> {
  const outboxId = outboxIdOf(record);
  if (!outboxId) return;
  const outcome = await deliver(outboxId);
  logger.info("Outbox item delivered", { eventId: record.eventID, ...outcome });
}

export const handler = async (event: DynamoDBStreamEvent, context: Context) => {
  const { runtime } = await lambdaRuntime(SERVICE.mail);
  return runtime.run(() => processPartialResponse(event, processRecord, processor, { context }));
};
