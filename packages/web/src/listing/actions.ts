import {
  type Action,
  allowedActions,
  type Status,
  transition,
} from "@localstays/core/listing/status";

/** What a host may do with a listing (approve and reject are the admin's). */
const HOST_ACTIONS = ["submit", "publish", "unpublish", "archive"] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

export const ACTION_LABELS: Record<HostAction, string> = {
  submit: "Submit for review",
  publish: "Publish",
  unpublish: "Unpublish",
  archive: "Archive",
};

const isHostAction = (action: Action): action is HostAction =>
  (HOST_ACTIONS as readonly Action[]).includes(action);

/** The host's buttons for a listing in this status, from core's status machine. */
export function hostActions(status: Status): HostAction[] {
  return allowedActions(status).filter(isHostAction);
}

export interface EditRule {
  /** Any field may change (else: none, the listing is archived). */
  canEdit: boolean;
  /** Name, description, address... may change (not while in review). */
  canEditContent: boolean;
  /** Changing content sends the listing (back) to review. */
  contentNeedsReview: boolean;
}

export function editRule(status: Status): EditRule {
  const actions = allowedActions(status);
  const canEditContent = actions.includes("editContent");
  return {
    canEdit: canEditContent || actions.includes("editDetails"),
    canEditContent,
    contentNeedsReview:
      canEditContent && status !== "IN_REVIEW" && transition(status, "editContent") === "IN_REVIEW",
  };
}
