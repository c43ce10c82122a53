import type { RouteAuth } from "../../packages/functions/src/routes.js";

/** The handlers of the reference functions (reference-stack.ts), without loading SST. */
export const FLOOR_HANDLER = "bench/cold/floor.handler";
export const AUDIENCES = ["public", "host", "admin"] as const satisfies readonly RouteAuth[];

/** Generated dispatchers live here (gitignored), inside the root so SST bundles them. */
export const GROUPED_DIR = ".build/cold-grouped";

export function groupedHandler(audience: RouteAuth): string {
  return `${GROUPED_DIR}/${audience}.handler`;
}
