import autocannon from "autocannon";
import type { Stats } from "./stats.js";

/** One HTTP request, replayed as is for the whole run. */
export interface HttpTarget {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

/**
 * autocannon against `target` for `seconds`: a closed loop of `connections` keep-alive
 * connections with one request in flight on each, the load generator in a worker thread
 * (`workers: 1`) so it does not share the event loop with a server in this process. Latencies
 * come from autocannon's HDR histogram (1 ms resolution).
 */
export async function cannon(
  target: HttpTarget,
  seconds: number,
  connections: number,
): Promise<Stats> {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    ...(target.headers ? { headers: target.headers } : {}),
    ...(target.body ? { body: target.body } : {}),
    connections,
    duration: seconds,
    workers: 1,
  });
  const reqPerSec = result.requests.total / result.duration;
  // autocannon drops the requests in flight at the deadline, but the server still works
  // through them: wait about as long as it needs for that many (Little's law), so they do
  // not load the next run.
  const drainMs = Math.min(10_000, 200 + (1500 * connections) / Math.max(reqPerSec, 1));
  await new Promise((resolve) => setTimeout(resolve, drainMs));
  return {
    requests: result.requests.total,
    reqPerSec,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    seconds: result.duration,
  };
}
