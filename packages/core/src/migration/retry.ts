import { setTimeout as sleep } from "node:timers/promises";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/**
 * Throttling and transaction conflicts are expected in a bulk job: DynamoDB sheds load
 * (ProvisionedThroughputExceeded on provisioned tables, ThrottlingException on on-demand
 * ones when a partition is hot) and a transaction touching an item another write holds is
 * cancelled with reason TransactionConflict. Both are retried with exponential backoff and
 * full jitter (AWS's recommendation for many clients contending), on top of the SDK's own
 * few attempts.
 */
const THROTTLING = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  "TransactionInProgressException",
]);
const RETRYABLE_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

export interface CancellationReason {
  Code?: string;
  Message?: string;
}

/** The per-action reasons of a cancelled transaction, or undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  return error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? [])
    : undefined;
}

/**
 * Worth trying again as is: throttling, or a transaction cancelled only because of
 * conflicts or throttling (a failed condition is not: the caller must look again first).
 */
export function isRetryable(error: unknown): boolean {
  const reasons = cancellationReasons(error);
  if (reasons) {
    const codes = reasons.map((r) => r.Code ?? "None").filter((code) => code !== "None");
    return codes.length > 0 && codes.every((code) => RETRYABLE_REASONS.has(code));
  }
  return THROTTLING.has((error as { name?: string })?.name ?? "");
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseMs: 25, maxMs: 5_000 };

/** Runs `task` until it succeeds, fails for good, or runs out of attempts. */
export async function withRetries<T>(
  task: () => Promise<T>,
  onRetry: (error: unknown) => void = () => {},
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      onRetry(error);
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}
