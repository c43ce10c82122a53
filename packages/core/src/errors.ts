/**
 * Errors a caller may see. Each has a stable `code`; `packages/functions` maps each class to
 * one HTTP status in one place. Anything that is not a DomainError is a bug (a logged 500).
 */
export type ErrorDetails = Record<string, unknown>;

/**
 * Every code a DomainError may carry: a closed set, so the API's error metrics (by code,
 * packages/functions/src/metrics.ts) stay bounded. A new error adds its code here.
 */
export const ERROR_CODES = [
  "VALIDATION_ERROR",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "VERSION_CONFLICT",
  "INVALID_TRANSITION",
  "PHOTO_LIMIT",
  "PHOTOS_CHANGED",
  "QUOTA_EXCEEDED",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input failed validation; `details.fields` maps a field path to its problems. */
export class ValidationError extends DomainError {
  readonly code = "VALIDATION_ERROR";
}

export class Unauthorized extends DomainError {
  readonly code = "UNAUTHORIZED";
}

export class Forbidden extends DomainError {
  readonly code = "FORBIDDEN";
}

export class NotFound extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(resource: string, id: string) {
    super(`${resource} ${id} was not found`, { resource, id });
  }
}

export class Conflict extends DomainError {
  readonly code: ErrorCode = "CONFLICT";
}

/** Optimistic locking: the caller's `version` is not the stored one. */
export class VersionConflict extends Conflict {
  override readonly code = "VERSION_CONFLICT";
  constructor(expected: number, actual?: number) {
    super(
      actual === undefined
        ? `The item changed since version ${expected}; reload and try again`
        : `The item is at version ${actual}, not ${expected}; reload and try again`,
      { expectedVersion: expected, ...(actual === undefined ? {} : { currentVersion: actual }) },
    );
  }
}

/**
 * An approval of a photo set the admin did not see: the listing's photos changed (`photosRev`
 * moved) since the admin loaded it. Reload, look again, approve again.
 */
export class PhotosChanged extends Conflict {
  override readonly code = "PHOTOS_CHANGED";
  constructor(expected: number, actual: number) {
    super(
      `The listing's photos changed since you saw them (revision ${actual}, not ${expected}); reload and review them`,
      { expectedPhotosRev: expected, currentPhotosRev: actual },
    );
  }
}

/** A status change the state machine does not allow from the current state. */
export class InvalidTransition extends Conflict {
  override readonly code = "INVALID_TRANSITION";
  constructor(from: string, to: string, action?: string) {
    super(`Cannot ${action ?? "change status"}: ${from} -> ${to} is not allowed`, {
      from,
      to,
      action,
    });
  }
}

/**
 * A per-host quota is used up (core/quota): 429. `details` name the quota, its limit, what is
 * used, when it frees (`freesAt`, null when only an admin can raise it) and, when it frees by
 * itself, `retryAfterSeconds` (the handler's `Retry-After`).
 */
export class QuotaExceeded extends DomainError {
  readonly code = "QUOTA_EXCEEDED";
}
