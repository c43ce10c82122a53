import { Logger } from "@aws-lambda-powertools/logger";
import { type SesEvent, suppress, suppressionsOf } from "@localstays/core/mail/suppression";
import type { SNSEvent } from "aws-lambda";
import { SERVICE } from "../metrics.js";
import { lambdaRuntime } from "../runtime.js";

/**
 * The configuration set's BOUNCE and COMPLAINT events (SES -> SNS -> here): a permanently
 * bounced or complaining address is recorded as suppressed, and the outbox delivery never
 * mails it again. SNS retries a failed invocation; recording is idempotent.
 */
const logger = new Logger({ serviceName: "localstays-mail" });

export const handler = async (event: SNSEvent) => {
  const { runtime } = await lambdaRuntime(SERVICE.mail);
  return runtime.run(async () => {
    for (const record of event.Records) {
      let message: SesEvent;
      try {
        message = JSON.parse(record.Sns.Message) as SesEvent;
      } catch {
        logger.error("Dropped an SNS message that is not an SES event", {
          messageId: record.Sns.MessageId,
        });
        continue;
      }
      for (const found of suppressionsOf(message)) {
        await suppress(found.address, found.reason, found.feedbackId);
        // The address is personal data: the log says that one was suppressed and why.
        logger.info("Address suppressed", { reason: found.reason, feedbackId: found.feedbackId });
      }
    }
  });
};
