import { CliError } from "./errors.js";

/**
 * Words for the AWS errors an operator can fix (credentials, permissions, network), shared
 * by the commands that read a deployed stage. Anything else is rethrown as it is.
 */
const CREDENTIALS = new Set([
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
]);
const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
]);
const NETWORK = new Set(["ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ENETUNREACH", "ECONNREFUSED"]);

/** `what`: the call, e.g. "cloudwatch:DescribeAlarms"; `where`: the region. */
export function explainAwsError(error: unknown, what: string, where: string): unknown {
  if (error instanceof CliError) return error;
  const { name, message, code } = error as { name?: string; message?: string; code?: string };
  if (name && CREDENTIALS.has(name)) {
    return new CliError(
      `No usable AWS credentials for ${what} in ${where} (${name}: ${message}). ` +
        "Sign in (aws sso login, or the deploy role in CI) and try again.",
    );
  }
  if (name && DENIED.has(name)) {
    return new CliError(
      `The current AWS identity may not call ${what} in ${where} (${name}: ${message}). ` +
        "The deploy role has it; a personal role needs read access to the stage.",
    );
  }
  if (code && NETWORK.has(code)) {
    return new CliError(`Cannot reach AWS for ${what} in ${where} (${code}): check the network.`);
  }
  return error;
}

/** Runs one AWS call and turns a fixable failure into a CliError that says what to do. */
export async function awsCall<T>(what: string, where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainAwsError(error, what, where);
  }
}
