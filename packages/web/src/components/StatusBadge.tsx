import type { Status } from "@localstays/core/listing/status";
import { STATUS_LABELS } from "../listing/labels.js";

export function StatusBadge({ status, testId }: { status: Status; testId?: string }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-testid={testId}>
      {STATUS_LABELS[status]}
    </span>
  );
}
