import { Logger } from "@aws-lambda-powertools/logger";
import { AdminAddUserToGroupCommand } from "@aws-sdk/client-cognito-identity-provider";
import { HOST_GROUP, Host } from "@localstays/core";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { lambdaRuntime } from "../runtime.js";
import { cognitoClient } from "./cognito.js";

const logger = new Logger({ serviceName: "localstays-auth" });

/**
 * Cognito PostConfirmation: every confirmed user becomes a host with a Host record and a
 * `hosts` group membership. Both steps are idempotent, because Cognito retries a trigger
 * that failed or timed out. An error here fails the confirmation (AWS reports it to the
 * client), which beats a signed-up user without a host record.
 */
export function handler(event: PostConfirmationTriggerEvent) {
  return lambdaRuntime().run(() => confirmed(event));
}

async function confirmed(event: PostConfirmationTriggerEvent) {
  // A password reset also confirms (ConfirmForgotPassword); only a sign-up makes a host.
  if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
  const { sub, email, name } = event.request.userAttributes;
  if (!sub || !email) throw new Error("PostConfirmation event without sub or email");

  const host = await Host.register({ cognitoSub: sub, email, displayName: name || undefined });
  await cognitoClient().send(
    new AdminAddUserToGroupCommand({
      UserPoolId: event.userPoolId,
      Username: event.userName,
      GroupName: HOST_GROUP,
    }),
  );
  logger.info("Host registered", { hostId: host.hostId, userPoolId: event.userPoolId });
  return event;
}
