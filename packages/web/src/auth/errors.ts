import { UserPoolDefinition } from "@localstays/core/user-pool";

const policy = UserPoolDefinition.passwordPolicy;

/** The pool's password rules in a sentence (the same definition the pool is built from). */
export const PASSWORD_HINT = `At least ${policy.minimumLength} characters, with ${new Intl.ListFormat(
  "en",
).format(
  [
    policy.requireLowercase && "a lower-case letter",
    policy.requireUppercase && "an upper-case letter",
    policy.requireDigits && "a digit",
    policy.requireSymbols && "a symbol",
  ].filter((rule): rule is string => typeof rule === "string"),
)}.`;

const MESSAGES: Record<string, string> = {
  NotAuthorizedException: "The email or password is not right.",
  UserNotFoundException: "The email or password is not right.",
  UsernameExistsException: "An account with this email already exists. Sign in instead.",
  InvalidPasswordException: `The password is too weak. ${PASSWORD_HINT}`,
  CodeMismatchException: "That code is not right. Check it and try again.",
  ExpiredCodeException: "That code has expired. Sign up again to get a new one.",
  UserNotConfirmedException: "Confirm your email address first.",
  LimitExceededException: "Too many attempts. Wait a moment and try again.",
  TooManyRequestsException: "Too many attempts. Wait a moment and try again.",
  TooManyFailedAttemptsException: "Too many attempts. Wait a moment and try again.",
  UserAlreadyAuthenticatedException: "You are already signed in.",
  NetworkError: "Could not reach the sign-in service. Check your connection and try again.",
};

/** A Cognito or Amplify error in a sentence. */
export function describeAuthError(error: unknown): string {
  if (!(error instanceof Error)) return "Something went wrong. Please try again.";
  // Confirming twice: Cognito says NotAuthorized, but the account is fine.
  if (error.name === "NotAuthorizedException" && /status is CONFIRMED/i.test(error.message)) {
    return "This account is confirmed already. Sign in.";
  }
  if (error instanceof TypeError) return MESSAGES.NetworkError ?? error.message;
  // Amplify's own checks before any request: EmptySignInUsername, EmptySignUpPassword, ...
  if (error.name.startsWith("Empty")) return "Please fill in every field.";
  return MESSAGES[error.name] ?? error.message;
}
