import { CODE_MESSAGES, type CodeMessage, codeMessage } from "@localstays/core/mail/templates";
import type { CustomMessageTriggerEvent } from "aws-lambda";

/**
 * Cognito CustomMessage: our own HTML for the messages that carry a code (sign-up, a
 * resent code, a forgotten password), from core's templates. Cognito puts the code where
 * the message has `codeParameter`; every other source keeps Cognito's default message.
 * Pure rendering: no configuration, no I/O.
 */
export async function handler(event: CustomMessageTriggerEvent) {
  const kind = event.triggerSource.replace(/^CustomMessage_/, "");
  if (!(CODE_MESSAGES as readonly string[]).includes(kind)) return event;
  const { subject, html } = codeMessage(kind as CodeMessage, event.request.codeParameter);
  event.response.emailSubject = subject;
  event.response.emailMessage = html;
  return event;
}
