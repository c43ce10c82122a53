import { fieldLabel, STATUS_LABELS } from "../listing/labels.js";

/**
 * An API failure: the HTTP status (0 when the server could not be reached) and the API's
 * error body `{error: {code, message, details?}}`.
 */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const NETWORK_ERROR = "NETWORK_ERROR";
/**
 * API Gateway's answer past a route's throttle: 429 `{"message":"Too Many Requests"}`, which
 * has no code of ours (core's per-host quotas answer 429 QUOTA_EXCEEDED instead).
 */
export const THROTTLED = "THROTTLED";

const QUOTA_LABELS: Record<string, string> = {
  listings: "listings",
  uploadRequestsPerHour: "photo uploads in one hour",
  pendingUploads: "photos waiting to be processed",
};

/** A refused quota in a sentence: which, how many, and when to try again. */
function quotaSentence(details: Record<string, unknown> | undefined): string {
  const quota = String(details?.quota ?? "");
  const limit = typeof details?.limit === "number" ? `${details.limit} ` : "";
  const freesAt = typeof details?.freesAt === "string" ? new Date(details.freesAt) : undefined;
  const what = `You have reached the limit of ${limit}${QUOTA_LABELS[quota] ?? quota}.`;
  return freesAt && !Number.isNaN(freesAt.getTime())
    ? `${what} Try again after ${freesAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`
    : `${what} Contact support to have it raised.`;
}

/** Per-field problems of a 400 VALIDATION_ERROR (`details.fields`), else none. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_ERROR") return {};
  const fields = error.details?.fields;
  if (!fields || typeof fields !== "object") return {};
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string[]] => Array.isArray(entry[1])),
  );
}

/** Optimistic locking lost: the listing changed since it was read. */
export function isVersionConflict(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 412 || (error.status === 409 && error.code === "VERSION_CONFLICT"))
  );
}

const statusWord = (value: unknown) =>
  typeof value === "string" && value in STATUS_LABELS
    ? STATUS_LABELS[value as keyof typeof STATUS_LABELS].toLowerCase()
    : String(value);

/** An error of any kind in a sentence for the person at the screen. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error && error.message ? error.message : "Something went wrong.";
  }
  if (error.status === 0) return "Could not reach the server. Check your connection and try again.";
  if (isVersionConflict(error)) {
    return "This listing was changed elsewhere since you opened it. Reload it to see the latest version.";
  }
  if (error.status >= 500) {
    const reference = /request ([\w-]+)/.exec(error.message)?.[1];
    return `Something went wrong on our side. Please try again${reference ? ` (reference ${reference})` : ""}.`;
  }
  switch (error.code) {
    case "VALIDATION_ERROR": {
      const problems = Object.entries(fieldErrorsOf(error)).map(
        ([path, messages]) => `${fieldLabel(path)} ${messages.join(", ")}`,
      );
      return problems.length ? `Please check: ${problems.join("; ")}.` : error.message;
    }
    case "UNAUTHORIZED":
      return "Your session has expired. Please sign in again.";
    case "FORBIDDEN":
      return "You do not have permission to do that.";
    case "NOT_FOUND":
      return "We could not find that. It may have been removed or is not online.";
    case "INVALID_TRANSITION": {
      const { action, from } = error.details ?? {};
      return action
        ? `You cannot ${String(action)} a listing that is ${statusWord(from)}. Reload to see its current status.`
        : error.message;
    }
    case THROTTLED:
      return "The service is busy right now. Please wait a few seconds and try again.";
    case "QUOTA_EXCEEDED":
      return quotaSentence(error.details);
    case "PHOTO_LIMIT":
      return "This listing has the most photos allowed. Remove one to add another.";
    default:
      return error.message;
  }
}
