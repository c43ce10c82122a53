/**
 * `pnpm bench:imports [--samples 9]`
 *
 * What each library costs a cold start before our code runs: every probe below is bundled the
 * way SST bundles a function (SST's own esbuild version, ESM, node20, minified, names kept)
 * and imported by a fresh `node` process; the figure is the CPU time (user + system) of that
 * import, median of --samples processes, minus an empty module's. CPU time, not wall time,
 * so that a machine shared with other work still gives comparable figures. `pnpm bench:cold`
 * measures the real functions; this explains what their init is made of.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchArgs, runBench } from "./lib/args.js";
import { log } from "./lib/log.js";

const USAGE = `Usage: pnpm bench:imports [--samples N]
  --samples  fresh processes per probe (default 9; the median is reported)`;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The part of esbuild's API used here (its types are not a dependency of the app). */
type Build = (options: Record<string, unknown>) => Promise<{
  metafile: { outputs: Record<string, { bytes: number }> };
}>;
/** SST's own esbuild, the one that bundles the functions (not a second copy in the app). */
const { build } = createRequire(createRequire(import.meta.url).resolve("sst/package.json"))(
  "esbuild",
) as { build: Build };
const WORK = path.join(ROOT, ".build", "imports");

/**
 * Each probe imports one thing and uses it, so the bundler cannot drop it. Libraries resolve
 * from core (whose dependencies they are); core itself from the functions package, as the
 * handlers' imports do.
 */
const PROBES: ReadonlyArray<{ name: string; source: string; from?: string }> = [
  { name: "empty module", source: "export const probe = 1;" },
  {
    name: "floor: DynamoDB client (bench/cold/floor.ts)",
    source: `export * from ${JSON.stringify(path.join(ROOT, "bench/cold/floor.ts"))};`,
  },
  {
    name: "DynamoDB client + lib-dynamodb",
    source: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
      import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
      export const probe = DynamoDBDocumentClient.from(new DynamoDBClient({}));`,
  },
  {
    name: "electrodb (with the SDK pieces it loads)",
    source: `import { Entity } from "electrodb"; export const probe = Entity;`,
  },
  {
    name: "zod (one object schema)",
    source: `import * as z from "zod"; export const probe = z.object({ a: z.string().min(1) });`,
  },
  {
    name: "Powertools logger",
    source: `import { Logger } from "@aws-lambda-powertools/logger";
      export const probe = new Logger({ serviceName: "probe" });`,
  },
  {
    name: "core's index (every domain)",
    source: `import * as core from "@localstays/core"; export const probe = core;`,
    from: "packages/functions/src",
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** CPU milliseconds a fresh process spends importing `file`. */
function importCpuMs(file: string): number {
  const script = `const start = process.cpuUsage();
    await import(${JSON.stringify(file)});
    const used = process.cpuUsage(start);
    console.log((used.user + used.system) / 1000);`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, AWS_REGION: "eu-north-1" },
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed:\n${child.stderr}`);
  return Number(child.stdout.trim());
}

runBench(async () => {
  const { values, number } = benchArgs(USAGE, { samples: { type: "string", default: "9" } });
  const samples = number("samples", values.samples, { min: 1, max: 100 });
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });

  const rows: Array<{ name: string; kB: number; ms: number }> = [];
  for (const [index, probe] of PROBES.entries()) {
    const outfile = path.join(WORK, `probe-${index}.mjs`);
    const result = await build({
      stdin: {
        contents: probe.source,
        resolveDir: path.join(ROOT, probe.from ?? "packages/core/src"),
        loader: "ts",
      },
      bundle: true,
      minify: true,
      keepNames: true,
      platform: "node",
      format: "esm",
      target: "node20",
      mainFields: ["module", "main"],
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      outfile,
      metafile: true,
      logLevel: "error",
    });
    const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
    log(`${probe.name}: ${samples} imports`);
    const ms = median(Array.from({ length: samples }, () => importCpuMs(outfile)));
    rows.push({ name: probe.name, kB: bytes / 1024, ms });
  }

  const empty = rows[0]?.ms ?? 0;
  const floor = (rows[1]?.ms ?? Number.NaN) - empty;
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`${"probe".padEnd(width)} | minified | import CPU ms (net) | x floor`);
  for (const row of rows.slice(1)) {
    const net = row.ms - empty;
    console.log(
      `${row.name.padEnd(width)} | ${`${row.kB.toFixed(0)} kB`.padStart(8)} | ${net.toFixed(0).padStart(18)} | ${(net / floor).toFixed(2).padStart(7)}`,
    );
  }
  console.log(`(empty module: ${empty.toFixed(0)} ms, subtracted; median of ${samples} processes)`);
});
