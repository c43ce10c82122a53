import { existsSync, readFileSync } from "node:fs";
import { APPROACH_NAMES, APPROACHES, type ApproachName, type Output } from "./approaches.js";
import type { Measured } from "./report.js";

/**
 * One approach in a process of its own (`child.ts APPROACH PHOTO RUNS WARMUP`, forked by
 * bench/images.ts), so its peak RSS is its own: libvips and jimp keep what they allocate, and
 * an earlier approach's peak would otherwise hide a later one's. Answers over IPC.
 */
async function main() {
  const [name, photoPath, runs, warmup] = process.argv.slice(2);
  if (!isApproach(name) || !photoPath || !process.send) {
    throw new Error("child.ts is forked by bench/images.ts, not run by hand");
  }
  const run = await APPROACHES[name].load();
  const input = readFileSync(photoPath);
  // Node, the libraries and the input photo: what every approach pays before working.
  const rssBeforeMb = peakRssMb();

  for (let i = 0; i < Number(warmup); i++) await run(input);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let variants: Output[] = [];
  for (let i = 0; i < Number(runs); i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    variants = await run(input);
    wallMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    // Every thread of the process: libvips' and libuv's workers as well as the main one.
    cpuMs.push((used.user + used.system) / 1000);
  }
  const measured: Measured = {
    approach: name,
    wallMs,
    cpuMs,
    variants,
    rssBeforeMb,
    peakRssMb: peakRssMb(),
  };
  process.send(measured, () => process.disconnect());
}

/**
 * This process's peak RSS in MB. Not `process.resourceUsage().maxRSS` on Linux: the kernel
 * carries the high-water mark of the forked copy of the parent across exec, so every child
 * would report at least the bench's own RSS when it forked (measured: a child of a 440 MB
 * parent reports 404 MB, its VmHWM 43 MB). VmHWM belongs to this process's own memory.
 */
function peakRssMb(): number {
  const status = "/proc/self/status";
  const kib = existsSync(status)
    ? readFileSync(status, "utf8").match(/^VmHWM:\s+(\d+) kB/m)?.[1]
    : undefined;
  return (kib ? Number(kib) : process.resourceUsage().maxRSS) / 1024;
}

const isApproach = (name: string | undefined): name is ApproachName =>
  APPROACH_NAMES.some((known) => known === name);

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
