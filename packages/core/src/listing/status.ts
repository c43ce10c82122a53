import { InvalidTransition } from "../errors.js";

/**
 * The listing status machine. Pure: the service reads the item, asks `transition` for the
 * next status, and writes conditionally on the status and version it read.
 *
 *   DRAFT -submit-> IN_REVIEW -approve-> APPROVED -publish-> ONLINE <-unpublish/publish-> OFFLINE
 *   IN_REVIEW -reject-> REJECTED -(any edit)-> DRAFT
 *   any live status -archive-> ARCHIVED (final)
 *
 * Edits come in two kinds (see `CONTENT_FIELDS` in schema.ts):
 *   - `editContent` changes what the admin reviewed (name, description, type, address,
 *     capacity, amenities, house rules). On a listing that passed review (APPROVED, ONLINE,
 *     OFFLINE) it sends the listing back to IN_REVIEW, so it leaves search until approved.
 *   - `editDetails` changes operational details (price, fees, check-in/out times). No review
 *     needed: the status stays, except that any edit turns REJECTED back into DRAFT.
 * Nothing changes while IN_REVIEW except the details: the admin approves what they saw.
 */
export const STATUSES = [
  "DRAFT",
  "IN_REVIEW",
  "APPROVED",
  "REJECTED",
  "ONLINE",
  "OFFLINE",
  "ARCHIVED",
] as const;
export type Status = (typeof STATUSES)[number];

export const ACTIONS = [
  "submit",
  "approve",
  "reject",
  "publish",
  "unpublish",
  "archive",
  "editContent",
  "editDetails",
] as const;
export type Action = (typeof ACTIONS)[number];

const TABLE: Record<Status, Partial<Record<Action, Status>>> = {
  DRAFT: { submit: "IN_REVIEW", archive: "ARCHIVED", editContent: "DRAFT", editDetails: "DRAFT" },
  IN_REVIEW: {
    approve: "APPROVED",
    reject: "REJECTED",
    archive: "ARCHIVED",
    editDetails: "IN_REVIEW",
  },
  APPROVED: {
    publish: "ONLINE",
    archive: "ARCHIVED",
    editContent: "IN_REVIEW",
    editDetails: "APPROVED",
  },
  REJECTED: { archive: "ARCHIVED", editContent: "DRAFT", editDetails: "DRAFT" },
  ONLINE: {
    unpublish: "OFFLINE",
    archive: "ARCHIVED",
    editContent: "IN_REVIEW",
    editDetails: "ONLINE",
  },
  OFFLINE: {
    publish: "ONLINE",
    archive: "ARCHIVED",
    editContent: "IN_REVIEW",
    editDetails: "OFFLINE",
  },
  ARCHIVED: {},
};

/** Where an action leads when it is allowed; named in the error when it is not. */
const INTENDED: Record<Action, Status> = {
  submit: "IN_REVIEW",
  approve: "APPROVED",
  reject: "REJECTED",
  publish: "ONLINE",
  unpublish: "OFFLINE",
  archive: "ARCHIVED",
  editContent: "DRAFT",
  editDetails: "DRAFT",
};

export function canTransition(from: Status, action: Action): boolean {
  return TABLE[from][action] !== undefined;
}

/** The status after `action`, or an InvalidTransition (409) naming both states. */
export function transition(from: Status, action: Action): Status {
  const to = TABLE[from][action];
  if (!to) throw new InvalidTransition(from, INTENDED[action], action);
  return to;
}

/** The actions a client may offer for a listing in this status (the dashboard's buttons). */
export function allowedActions(status: Status): Action[] {
  return ACTIONS.filter((action) => canTransition(status, action));
}
