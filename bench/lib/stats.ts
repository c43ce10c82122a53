/** What one measured run gives, whichever load generator produced it. */
export interface Stats {
  /** Requests that completed (any status) and their rate over the measured time. */
  requests: number;
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors incl. timeouts (autocannon: no answer in 10 s) or rejected sends (sdk). */
  errors: number;
  timeouts: number;
  non2xx: number;
  seconds: number;
}

/** The nearest-rank percentile `p` (0-100) of ascending `sorted`; 0 when there is none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/**
 * Stats of individually timed calls over `seconds`: percentiles computed exactly from the
 * sorted samples (sub-millisecond resolution), failed calls counted as errors.
 */
export function sampleStats(latencies: number[], errors: number, seconds: number): Stats {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length + errors,
    reqPerSec: (latencies.length + errors) / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    errors,
    timeouts: 0,
    non2xx: 0,
    seconds,
  };
}
