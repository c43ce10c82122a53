/**
 * Where cognito-local's error answers differ from Cognito's in a way a client sees, the
 * answer Cognito gives instead. Read from cognito-local 5.3.0's source (lib/targets/):
 *
 * - InitiateAuth, AdminInitiateAuth and ChangePassword throw InvalidPasswordException when
 *   the password does not match the user's. Cognito answers NotAuthorizedException
 *   "Incorrect username or password."; its InvalidPasswordException means a password that
 *   breaks the pool's policy (SignUp, ConfirmForgotPassword), so a client that reads it as
 *   "too weak" tells the person the wrong thing. cognito-local throws it nowhere else.
 * - The same two sign-in calls answer an unknown user with NotAuthorizedException "User not
 *   authorized". The Auth stack's app client prevents user-existence errors, so Cognito
 *   answers an unknown user exactly as a wrong password (both are "Incorrect username or
 *   password."), and the answer does not tell whether the account exists.
 */
export interface CognitoErrorBody {
  __type: string;
  message: string;
}

export const INCORRECT_CREDENTIALS: CognitoErrorBody = {
  __type: "NotAuthorizedException",
  message: "Incorrect username or password.",
};

const SIGN_IN_TARGETS = new Set(["InitiateAuth", "AdminInitiateAuth"]);
const WRONG_PASSWORD_TARGETS = new Set([...SIGN_IN_TARGETS, "ChangePassword"]);
/** The flows that take a user name and password (not a refresh token). */
const PASSWORD_FLOWS = new Set([
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "ADMIN_NO_SRP_AUTH",
]);

/** The operation of an `x-amz-target` header (`AWSCognitoIdentityProviderService.InitiateAuth`). */
export function operationOf(target: string | undefined): string | undefined {
  return target?.split(".")[1];
}

/**
 * Cognito's answer for cognito-local's error `error` to `operation`, or undefined when it
 * already answers as Cognito does. `request` is the call's JSON body.
 */
export function cognitoAnswerFor(
  operation: string,
  request: { AuthFlow?: unknown },
  error: CognitoErrorBody,
): CognitoErrorBody | undefined {
  if (error.__type === "InvalidPasswordException" && WRONG_PASSWORD_TARGETS.has(operation)) {
    return INCORRECT_CREDENTIALS;
  }
  if (
    error.__type === "NotAuthorizedException" &&
    error.message !== INCORRECT_CREDENTIALS.message &&
    SIGN_IN_TARGETS.has(operation) &&
    typeof request.AuthFlow === "string" &&
    PASSWORD_FLOWS.has(request.AuthFlow)
  ) {
    return INCORRECT_CREDENTIALS;
  }
  return undefined;
}
