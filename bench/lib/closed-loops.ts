import { performance } from "node:perf_hooks";
import { type Stats, sampleStats } from "./stats.js";

/**
 * `connections` closed loops in this process, each awaiting `op` until the time is up. As in
 * autocannon, a call still in flight at the deadline is not counted; unlike autocannon, the
 * loops wait for those calls, so the next scenario starts on an idle server.
 */
export async function closedLoops(
  op: () => Promise<unknown>,
  seconds: number,
  connections: number,
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      let failed = false;
      try {
        await op();
      } catch {
        failed = true;
      }
      const done = performance.now();
      if (done > deadline) break;
      if (failed) errors++;
      else latencies.push(done - t);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return sampleStats(latencies, errors, seconds);
}
