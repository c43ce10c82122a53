import type { Runtime } from "@localstays/core/runtime";

/** The runtime an invocation runs in: a fixed one, or the stack's current one. */
export function currentOf(runtime: Runtime | (() => Runtime) | undefined): Runtime | undefined {
  return typeof runtime === "function" ? runtime() : runtime;
}
