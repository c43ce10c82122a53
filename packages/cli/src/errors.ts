/** A problem the user can fix; printed without a stack trace, exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

/** True when nothing listens at the endpoint (the local stack is not running). */
export function isConnectionRefused(error: unknown): boolean {
  for (
    let e = error as { code?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === "ECONNREFUSED") return true;
  }
  return false;
}
