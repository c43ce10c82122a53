import { createHash } from "node:crypto";
import { stagePrefix, stageResourceName } from "@localstays/core/names";
import type { CognitoTriggerName } from "./auth/triggers.js";
import type { Route } from "./routes.js";

/**
 * Lambda function names, `localstays-<stage>-<purpose>`, shared by the stacks and the local
 * stack so a function is called the same in CloudWatch and in local logs. Operators find
 * functions by name (the seed's `aws lambda get-function-configuration --function-name ...`),
 * and the Monitoring stack watches them by name instead of importing a CloudFormation export
 * per function, which would block removing a route ("export in use"). The prefix and the
 * length rule are core's (core/src/names.ts); this file names what the route table and the
 * triggers define.
 */
const LAMBDA_NAME_MAX = 64;

/** `stageResourceName`, deterministic and at most 64 characters: a long name keeps a hash suffix. */
export function lambdaName(stage: string, purpose: string): string {
  const name = stageResourceName(stage, purpose);
  if (name.length <= LAMBDA_NAME_MAX) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, LAMBDA_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** `localstays-staging-GET-hosts-hostId`: the Lambda behind a route. */
export function routeFunctionName(stage: string, route: Pick<Route, "method" | "path">): string {
  return lambdaName(stage, `${route.method} ${route.path.replace(/^\/api\/v1\//, "")}`);
}

/** `localstays-dev1-post-confirmation`: the Lambda behind a Cognito trigger. */
export function triggerFunctionName(stage: string, trigger: CognitoTriggerName): string {
  return lambdaName(
    stage,
    trigger.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
  );
}

/**
 * `localstays-dev1-image-processor`: the photo processor, the container Lambda behind the
 * upload queue. Its deployed name keeps "image" (a new name would replace the function).
 */
export function photoProcessorFunctionName(stage: string): string {
  return lambdaName(stage, "image-processor");
}

/** `localstays-dev1-upload-sweeper`: the scheduled Lambda that expires abandoned uploads. */
export function uploadSweeperFunctionName(stage: string): string {
  return lambdaName(stage, "upload-sweeper");
}

/** The sweeper's handler (SST handler string, from the repository root). */
export const UPLOAD_SWEEPER_HANDLER = "packages/functions/src/images/sweep.handler";

/** `localstays-dev1-image-uploads`: the queue between the photo bucket and the processor. */
export function uploadsQueueName(stage: string): string {
  return stageResourceName(stage, "image-uploads");
}

/** Its dead-letter queue; Monitoring alarms on it by this name. */
export function uploadsDeadLetterQueueName(stage: string): string {
  return `${uploadsQueueName(stage)}-dlq`;
}

/** The processor's handler (what the local stack runs) inside its container build context. */
export const PHOTO_PROCESSOR = {
  handler: "packages/functions/src/images/processor.handler",
  buildContext: "packages/functions/src/images",
} as const;

/** The mail functions' handlers (stacks/Mail.ts; the local stack runs the outbox delivery). */
export const MAIL_FUNCTIONS = {
  outboxDelivery: "packages/functions/src/mail/outbox.handler",
  sesEvents: "packages/functions/src/mail/ses-events.handler",
} as const;

/** `localstays-dev1-outbox-delivery`: sends the outbox's notifications (table stream -> SES). */
export function outboxDeliveryFunctionName(stage: string): string {
  return lambdaName(stage, "outbox-delivery");
}

/** `localstays-dev1-ses-events`: records the addresses that bounced or complained. */
export function sesEventsFunctionName(stage: string): string {
  return lambdaName(stage, "ses-events");
}

/** `localstays-dev1-outbox-dlq`: where the stream puts a batch the delivery gave up on. */
export function outboxDeadLetterQueueName(stage: string): string {
  return stageResourceName(stage, "outbox-dlq");
}

/** `localstays-dev1`: the stage's SES configuration set (its mail, its events, its metrics). */
export function mailConfigurationSetName(stage: string): string {
  return stagePrefix(stage);
}
