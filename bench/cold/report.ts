import { routeKey } from "../../packages/functions/src/routes.js";
import type { BundleSize } from "../../stacks/bundles.js";
import { fixed } from "../lib/format.js";
import { coldStarts, JOURNEYS } from "./journeys.js";
import type { ModuleBytes } from "./modules.js";

/** One cold start: import of the bundle, then its first invocation (lazy clients, first request). */
export interface Sample {
  importMs: number;
  invokeMs: number;
  /** Status code, failed batch items, or what the handler threw. */
  outcome: string;
}

export interface Measured {
  name: string;
  kind: "api" | "trigger" | "processor" | "floor" | "grouped";
  size: BundleSize;
  /** Bytes (unzipped) the CI test allows, if the function has a budget. */
  budget: number | undefined;
  top: ModuleBytes[];
  samples: Sample[];
}

/** The issue's targets: an API function's bundle, and its init time against the floor's. */
export const TARGETS = { apiBundleBytes: 250_000, initRatio: 1.5 } as const;

const kb = (bytes: number) => `${fixed(bytes / 1000)} kB`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function initOf(measured: Measured) {
  const importMs = median(measured.samples.map((s) => s.importMs));
  const invokeMs = median(measured.samples.map((s) => s.invokeMs));
  const initMs = median(measured.samples.map((s) => s.importMs + s.invokeMs));
  return { importMs, invokeMs, initMs };
}

export function coldReport(all: Measured[], grouped: boolean): string {
  const floor = all.find((m) => m.kind === "floor");
  if (!floor) throw new Error("The floor was not measured");
  const floorInit = initOf(floor);
  const lines = [
    `Cold starts, median of ${floor.samples.length} fresh Node ${process.versions.node} processes each`,
    `(import = loading the bundle, Lambda's Init; invoke = the first invocation against DynamoDB Local).`,
    `Targets: an API bundle <= ${kb(TARGETS.apiBundleBytes)} minified, init <= ${TARGETS.initRatio}x the floor.`,
    "",
    "| function | zipped | unzipped | x floor | budget (CI) | import ms | invoke ms | init ms | x floor | outcome | size | init |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
  ];
  for (const m of all) {
    const init = initOf(m);
    const sizeRatio = m.size.unzipped / floor.size.unzipped;
    const initRatio = init.initMs / floorInit.initMs;
    const sizeOk = m.kind !== "api" || m.size.unzipped <= TARGETS.apiBundleBytes;
    const initOk = m.kind === "floor" || initRatio <= TARGETS.initRatio;
    const outcomes = [...new Set(m.samples.map((s) => s.outcome))].join(", ");
    lines.push(
      `| ${m.name} | ${kb(m.size.zipped)} | ${kb(m.size.unzipped)} | ${fixed(sizeRatio, 2)} | ${
        m.budget ? kb(m.budget) : "-"
      } | ${fixed(init.importMs)} | ${fixed(init.invokeMs)} | ${fixed(init.initMs)} | ${fixed(
        initRatio,
        2,
      )} | ${outcomes} | ${m.kind === "api" ? (sizeOk ? "pass" : "FAIL") : "-"} | ${
        m.kind === "floor" ? "-" : initOk ? "pass" : "FAIL"
      } |`,
    );
  }
  lines.push(
    "",
    "Largest modules per bundle (bytes of the minified output, from the staged source map):",
  );
  for (const m of all) {
    lines.push(`- ${m.name}: ${m.top.map((t) => `${t.module} ${kb(t.bytes)}`).join(", ")}`);
  }
  if (grouped) lines.push("", ...quietStage(all));
  return lines.join("\n");
}

/**
 * Item 5: cold starts a visit meets on a quiet stage, per route vs one function per audience.
 * A route measured in this run counts with its own init time, any other with the median of
 * the API functions measured (their bundles hold the same modules; marked ~).
 */
function quietStage(all: Measured[]): string[] {
  const byName = new Map(all.map((m) => [m.name, initOf(m).initMs]));
  const apiMedian = median(all.filter((m) => m.kind === "api").map((m) => initOf(m).initMs));
  const lines = [
    "Quiet stage (every function cold): cold starts and init time a visit meets",
    "| journey | per-route functions | init ms | per-audience functions | init ms |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const [journey, keys] of Object.entries(JOURNEYS)) {
    const { perRoute, grouped } = coldStarts(keys);
    const estimated = perRoute.some((route) => !byName.has(routeKey(route)));
    const routeMs = perRoute.reduce(
      (sum, route) => sum + (byName.get(routeKey(route)) ?? apiMedian),
      0,
    );
    const groupMs = grouped.reduce(
      (sum, audience) => sum + (byName.get(`grouped: ${audience}`) ?? Number.NaN),
      0,
    );
    lines.push(
      `| ${journey} | ${perRoute.length} | ${estimated ? "~" : ""}${fixed(routeMs)} | ${
        grouped.length
      } | ${fixed(groupMs)} |`,
    );
  }
  return lines;
}
