import type { Stats } from "./stats.js";

export const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** Failed requests: connection errors (of which timeouts, no answer in 10 s) and non-2xx. */
export const failures = (s: Stats) =>
  `${s.errors + s.non2xx}${s.timeouts ? ` (${s.timeouts} t/o)` : ""}`;
