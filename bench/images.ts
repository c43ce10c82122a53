/**
 * `pnpm bench:images [--runs 5] [--warmup 1] [--only ours,naive] [--json]`
 *
 * The photo processor's pipeline (packages/core/src/photo/pipeline.ts) against the
 * straightforward code, on a synthetic 12 MP photo (bench/images/photo.ts, the same every run):
 *
 * - ours: `processPhoto`, as the Lambda calls it (decode once, variants encoded side by side,
 *   placeholder included).
 * - ours with naive's WebP settings: the same code at sharp's default quality and effort, which
 *   separates what the structure saves from what the encoder settings save.
 * - naive sharp: `sharp(input).rotate().resize(width).webp().toBuffer()` once per variant, one
 *   after the other.
 * - jimp: decode once, `clone().resize()` per variant; jimp 1.6.1 cannot write WebP, so its
 *   variants are JPEG (quality 80): the straightforward jimp pipeline, not the same output.
 *
 * Each approach runs in a process of its own (bench/images/child.ts), one after the other, so
 * its peak RSS is its own and no two compete for the CPUs. Progress goes to stderr, the report
 * (a Markdown table, ratios, the targets, a Lambda sizing line) to stdout.
 */
import { fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WEBP } from "../packages/core/src/photo/pipeline.js";
import { APPROACH_NAMES, type ApproachName } from "./images/approaches.js";
import { syntheticPhoto } from "./images/photo.js";
import { imagesReport, type Measured } from "./images/report.js";
import { benchArgs, runBench, UsageError } from "./lib/args.js";
import { log } from "./lib/log.js";

const USAGE = `Usage: pnpm bench:images [--runs N] [--warmup N] [--only NAMES] [--json]
  --runs    measured runs per approach (default 5)
  --warmup  runs before those, discarded (default 1)
  --only    comma-separated approaches (default all: ${APPROACH_NAMES.join(",")})
  --json    print the measurements as JSON (progress still goes to stderr)`;

function parseOptions() {
  const { values, number } = benchArgs(USAGE, {
    runs: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    only: { type: "string", default: APPROACH_NAMES.join(",") },
    json: { type: "boolean", default: false },
  });
  const only = values.only.split(",").map((name) => name.trim());
  const unknown = only.filter((name) => !APPROACH_NAMES.some((known) => known === name));
  if (unknown.length) throw new UsageError(`--only: unknown ${unknown.join(", ")}\n${USAGE}`);
  return {
    runs: number("runs", values.runs, { min: 1 }),
    warmup: number("warmup", values.warmup, { min: 0 }),
    approaches: APPROACH_NAMES.filter((name) => only.includes(name)),
    json: values.json,
  };
}

const CHILD = fileURLToPath(new URL("./images/child.ts", import.meta.url));

/** Runs one approach in its own Node process (tsx's loader inherited through execArgv). */
function measure(approach: ApproachName, photo: string, runs: number, warmup: number) {
  return new Promise<Measured>((resolve, reject) => {
    const child = fork(CHILD, [approach, photo, String(runs), String(warmup)]);
    let measured: Measured | undefined;
    child.on("message", (message) => {
      measured = message as Measured; // the child's only message, typed in child.ts
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (measured) resolve(measured);
      else reject(new Error(`${approach}: the child process exited with ${code} and no result`));
    });
  });
}

async function main() {
  const options = parseOptions();
  const dir = await mkdtemp(join(tmpdir(), "localstays-bench-images-"));
  try {
    log("generating the 12 MP photo");
    const photo = await syntheticPhoto();
    const photoPath = join(dir, "photo.jpg");
    await writeFile(photoPath, photo);

    const loadBefore = loadavg()[0] ?? 0;
    const results: Measured[] = [];
    for (const approach of options.approaches) {
      log(`${approach}: ${options.warmup} warm-up + ${options.runs} runs`);
      results.push(await measure(approach, photoPath, options.runs, options.warmup));
    }
    const settings = {
      runs: options.runs,
      warmup: options.warmup,
      photoBytes: photo.length,
      cores: availableParallelism(),
      loadBefore,
      loadAfter: loadavg()[0] ?? 0,
      webp: WEBP,
    };
    console.log(
      options.json
        ? JSON.stringify({ settings, results }, null, 2)
        : imagesReport(results, settings),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
