import { VARIANTS } from "../../packages/core/src/photo/formats.js";
import { fixed } from "../lib/format.js";
import { percentile } from "../lib/stats.js";
import { APPROACHES, type ApproachName, type Output } from "./approaches.js";

/** What one approach's process reports (see child.ts). */
export interface Measured {
  approach: ApproachName;
  wallMs: number[];
  /** CPU time of the whole process per run: all threads, so it exceeds wall time when parallel. */
  cpuMs: number[];
  /** From the last run. */
  variants: Output[];
  /** The process's peak RSS before the first run and after the last (see child.ts). */
  rssBeforeMb: number;
  peakRssMb: number;
}

export interface ImagesBenchSettings {
  runs: number;
  warmup: number;
  photoBytes: number;
  cores: number;
  loadBefore: number;
  loadAfter: number;
  webp: { quality: number; effort: number };
}

/** The brief's targets: ours vs one sharp pipeline per variant, vs jimp, and memory. */
const TARGETS = { oursOverNaive: 0.8, jimpOverOurs: 5, peakRssMb: 300 } as const;

/** Lambda gives one full vCPU at 1769 MB and CPU in proportion below that (AWS docs). */
const LAMBDA_MB_PER_VCPU = 1769;

const median = (values: number[]) => percentile(Float64Array.from(values).sort(), 50);
const p90 = (values: number[]) => percentile(Float64Array.from(values).sort(), 90);
const kB = (bytes: number | undefined) => (bytes === undefined ? "-" : `${fixed(bytes / 1000)} kB`);

export function imagesReport(results: Measured[], settings: ImagesBenchSettings) {
  const byName = new Map(results.map((r) => [r.approach, r]));
  const ours = byName.get("ours");
  const naive = byName.get("naive");
  const jimp = byName.get("jimp");
  const variantNames = VARIANTS.map((variant) => variant.name);

  const header = [
    "approach",
    "output",
    "median ms",
    "p90 ms",
    "CPU ms",
    "RSS before MB",
    "peak RSS MB",
    ...variantNames.map((name) => `${name} bytes`),
  ];
  const rows = results.map((r) => [
    APPROACHES[r.approach].label,
    APPROACHES[r.approach].output,
    fixed(median(r.wallMs), 0),
    fixed(p90(r.wallMs), 0),
    fixed(median(r.cpuMs), 0),
    fixed(r.rssBeforeMb, 0),
    fixed(r.peakRssMb, 0),
    ...variantNames.map((name) => kB(r.variants.find((v) => v.name === name)?.bytes)),
  ]);

  const lines = [
    "",
    `Image pipeline bench: one ${fixed(settings.photoBytes / 1e6, 1)} MB 4000×3000 JPEG -> ${variantNames.join("/")} variants; ${settings.runs} measured runs after ${settings.warmup} warm-up, each approach in its own process`,
    "",
    markdownTable(header, rows),
    "",
    "median/p90: wall time per photo; CPU ms: median CPU time of all the process's threads per photo; RSS before: the process with its libraries loaded and the photo read; peak RSS: its high-water mark (VmHWM) after all the runs.",
    `ours: WebP quality ${settings.webp.quality}, effort ${settings.webp.effort}; naive sharp and "ours, naive's WebP settings": sharp's defaults (quality 80, effort 4).`,
    ...sizeCheck(results),
    "",
    "Ratios (medians):",
    ...ratioLines(byName),
    "",
    ...targetLines(ours, naive, jimp),
    "",
    ...(ours ? [lambdaLine(ours)] : []),
    "",
    `Machine: ${settings.cores} cores, load average ${fixed(settings.loadBefore, 2)} before, ${fixed(settings.loadAfter, 2)} after (other work on the machine inflates wall times, CPU ms much less); MALLOC_ARENA_MAX ${process.env.MALLOC_ARENA_MAX ?? "unset"}.`,
  ];
  return lines.join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) =>
    Math.max(cell.length, ...rows.map((r) => r[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Every approach must have made the same sizes, or the comparison means nothing. */
function sizeCheck(results: Measured[]): string[] {
  const sizes = (r: Measured) => r.variants.map((v) => `${v.width}×${v.height}`).join(", ");
  const distinct = new Set(results.map(sizes));
  if (distinct.size === 1) return [`Every approach made ${[...distinct][0]}.`];
  return results.map((r) => `SIZES DIFFER: ${r.approach} made ${sizes(r)}`);
}

function ratioLines(byName: Map<ApproachName, Measured>): string[] {
  const pairs: [ApproachName, ApproachName, string][] = [
    ["ours", "naive", "ours/naive"],
    [
      "ours-naive-webp",
      "naive",
      "ours with naive's WebP settings/naive (decode once + parallel encodes only)",
    ],
    ["jimp", "ours", "jimp/ours"],
  ];
  const out: string[] = [];
  for (const [a, b, label] of pairs) {
    const [x, y] = [byName.get(a), byName.get(b)];
    if (!x || !y) continue;
    const bytes = (r: Measured) => r.variants.reduce((sum, v) => sum + v.bytes, 0);
    const bytesNote =
      APPROACHES[a].output === APPROACHES[b].output
        ? `   bytes ${fixed(bytes(x) / bytes(y), 3)}×`
        : "";
    out.push(
      `  ${label}: wall ${fixed(median(x.wallMs) / median(y.wallMs), 2)}× (p90 ${fixed(p90(x.wallMs) / p90(y.wallMs), 2)}×)   CPU ${fixed(median(x.cpuMs) / median(y.cpuMs), 2)}×${bytesNote}`,
    );
  }
  return out;
}

function targetLines(ours?: Measured, naive?: Measured, jimp?: Measured): string[] {
  const verdict = (ok: boolean) => (ok ? "met" : "NOT MET");
  const out: string[] = [];
  if (ours && naive) {
    const ratio = median(ours.wallMs) / median(naive.wallMs);
    out.push(
      `Target ours/naive <= ${TARGETS.oursOverNaive}: ${fixed(ratio, 2)}, ${verdict(ratio <= TARGETS.oursOverNaive)}`,
    );
  }
  if (ours && jimp) {
    const ratio = median(jimp.wallMs) / median(ours.wallMs);
    out.push(
      `Target jimp/ours >= ${TARGETS.jimpOverOurs}: ${fixed(ratio, 1)}, ${verdict(ratio >= TARGETS.jimpOverOurs)} (jimp writes JPEG: it cannot write WebP)`,
    );
  }
  if (ours) {
    out.push(
      `Target peak RSS <= ${TARGETS.peakRssMb} MB: ${fixed(ours.peakRssMb, 0)} MB, ${verdict(ours.peakRssMb <= TARGETS.peakRssMb)}`,
    );
  }
  return out;
}

/**
 * The processor handles one photo at a time. libvips runs each operation on one thread here
 * (sharp's default with glibc, as in the Lambda image), so only the parallel encodes use a
 * second vCPU; with one vCPU or less a photo costs its CPU time, scaled by the CPU share.
 * glibc's per-thread malloc arenas make RSS creep as a process handles more photos (measured
 * over 60 photos: 293 -> 339 MB; with MALLOC_ARENA_MAX=2, 199 -> 233 MB), hence the room.
 */
function lambdaLine(ours: Measured): string {
  const cpu = median(ours.cpuMs);
  const at = (mb: number) => fixed(cpu / Math.min(1, mb / LAMBDA_MB_PER_VCPU), 0);
  const memoryMb = Math.ceil((ours.peakRssMb * 2) / 128) * 128;
  return [
    `Lambda sizing (one photo at a time): a 12 MP photo takes ${fixed(cpu, 0)} ms of CPU (${fixed(median(ours.wallMs), 0)} ms wall here), peak RSS ${fixed(ours.peakRssMb, 0)} MB.`,
    `  CPU comes with memory (1 vCPU at ${LAMBDA_MB_PER_VCPU} MB): about ${at(1024)} ms per photo at 1024 MB, ${at(LAMBDA_MB_PER_VCPU)} ms at ${LAMBDA_MB_PER_VCPU} MB, plus the S3 transfer;`,
    `  a second vCPU (${2 * LAMBDA_MB_PER_VCPU} MB) only lets the encodes overlap.`,
    `  Suggestion: ${LAMBDA_MB_PER_VCPU} MB for a full vCPU (memory alone would need ~${memoryMb} MB: twice the peak, for glibc's creep over many photos and 100 MP uploads); MALLOC_ARENA_MAX=2 in its environment.`,
  ].join("\n");
}
