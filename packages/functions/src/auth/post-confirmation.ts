import type { Context, PostConfirmationTriggerEvent } from "aws-lambda";
import { SERVICE } from "../metrics.js";
import { type InvocationLog, Telemetry } from "../observability.js";
import { lambdaRuntime } from "../runtime.js";
import { cognitoClient } from "./cognito.js";
import { enrolHost } from "./enrol.js";

const telemetry = new Telemetry(SERVICE.auth);

/**
 * Cognito PostConfirmation: every confirmed user becomes a host with a Host record and a
 * `hosts` group membership (enrolHost).
 *
 * Cognito runs this after it has confirmed the user. An error here does not undo that: the
 * confirming client gets an error (UserLambdaValidationException) while the user stays
 * CONFIRMED, can sign in, and gets 403/404 from the API until `localstays hosts repair`
 * creates the host. So nothing a user typed may fail it: registrationOf keeps any name and
 * e-mail Cognito accepted. It can still fail on infrastructure (DynamoDB or Cognito
 * unavailable); Cognito retries an invocation that timed out (5 s, up to three attempts), not
 * one that returned an error, hence idempotent steps and the repair command.
 */
export async function handler(event: PostConfirmationTriggerEvent, context?: Context) {
  const { runtime, tracing } = await lambdaRuntime(SERVICE.auth);
  const log = telemetry.begin(runtime.config.STAGE, context);
  return runtime.run(() => tracing.invocation("post-confirmation", () => confirmed(event, log)));
}

async function confirmed(event: PostConfirmationTriggerEvent, log: InvocationLog) {
  // A password reset also confirms (ConfirmForgotPassword); only a sign-up makes a host.
  if (event.triggerSource !== "PostConfirmation_ConfirmSignUp") return event;
  const host = await enrolHost(cognitoClient(), {
    userPoolId: event.userPoolId,
    username: event.userName,
    attributes: event.request.userAttributes,
  });
  log.info("Host registered", { hostId: host.hostId, userPoolId: event.userPoolId });
  return event;
}
