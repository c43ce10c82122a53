import type { ReactNode } from "react";
import { describeError } from "../api/errors.js";

/** An error in plain words, announced to screen readers; `children` offer a way out. */
export function ErrorMessage({ error, children }: { error: unknown; children?: ReactNode }) {
  return (
    <div role="alert" className="error">
      <p>{describeError(error)}</p>
      {children}
    </div>
  );
}
