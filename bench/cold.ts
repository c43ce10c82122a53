/**
 * `pnpm bench:cold [--samples 10] [--grouped] [--only TEXT,...] [--stage dev1] [--json]`
 *
 * Cold starts of the functions exactly as `sst deploy` builds them: one offline synthesis
 * (stacks/synth.ts, the code path of `sst deploy`) stages every bundle; the bench reads them
 * from the cloud assembly (stacks/bundles.ts) before it is removed. For each function: the
 * zipped and unzipped size, the 5 largest modules (from the staged source map), and the init
 * time: a fresh `node` process imports the bundle and invokes its handler once against the
 * local stack's DynamoDB Local (bench/cold/child.mjs), median of --samples processes.
 *
 * The floor (bench/cold/floor.ts, one raw GetItem with the bare client) is bundled by SST in
 * the same synthesis. --grouped adds one function per audience (public, host, admin) that
 * serves the audience's routes through a dispatcher generated from the route table, and
 * prints how many cold starts a visit meets on a quiet stage either way.
 * Progress goes to stderr, the report to stdout.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { PHOTO_PROCESSOR } from "../packages/functions/src/function-names.js";
import { routeKey, routes } from "../packages/functions/src/routes.js";
import { S3RVER_CREDENTIALS } from "../packages/local/src/s3.js";
import type { LocalStack } from "../packages/local/src/stack.js";
import { budgetOf, bundleSize, stagedBundles, stagedImageContext } from "../stacks/bundles.js";
import { apiEvent, postConfirmationEvent, processorEvent, routeOfHandler } from "./cold/events.js";
import { bytesByModule } from "./cold/modules.js";
import { AUDIENCES, FLOOR_HANDLER, groupedHandler } from "./cold/reference.js";
import { coldReport, type Measured, type Sample } from "./cold/report.js";
import { benchArgs, runBench } from "./lib/args.js";
import { withLocalStack } from "./lib/local-stack.js";
import { log } from "./lib/log.js";

const USAGE = `Usage: pnpm bench:cold [--samples N] [--grouped] [--only TEXT,...] [--stage STAGE] [--reuse] [--json]
  --samples  fresh processes per function (default 10; the median is reported)
  --grouped  also measure one function per audience serving the route table's routes
  --only     measure only functions whose name contains one of TEXT,TEXT (the floor always runs)
  --stage    stage to synthesize (default dev1; the bundles are the same for every stage)
  --reuse    measure the bundles the last run copied to .build/cold instead of synthesizing
  --json     print the measurements as JSON`;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./cold/child.mjs", import.meta.url));
/** Copies of the staged bundles: the assembly is removed when the synthesis returns. */
const WORK = path.join(ROOT, ".build", "cold");

/** A bundle copied out of the assembly (the assembly is removed when the synthesis returns). */
interface Staged {
  name: string;
  kind: Measured["kind"];
  handler: string;
  /** The copied folder, as staged, and the handler's module in it. */
  dir: string;
  file: string;
  sourcemap?: string;
}

const MANIFEST = path.join(WORK, "staged.json");

function parseOptions() {
  const { values, number } = benchArgs(USAGE, {
    samples: { type: "string", default: "10" },
    grouped: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    stage: { type: "string", default: "dev1" },
    reuse: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  });
  return { ...values, samples: number("samples", values.samples, { min: 1 }) };
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");

function nameOf(handler: string): { name: string; kind: Measured["kind"] } {
  const route = routeOfHandler(handler);
  if (route) return { name: routeKey(route), kind: "api" };
  if (handler === FLOOR_HANDLER) return { name: "floor: raw GetItem", kind: "floor" };
  if (handler === PHOTO_PROCESSOR.handler) return { name: "images/processor", kind: "processor" };
  const audience = audienceOf(handler);
  if (audience) return { name: `grouped: ${audience}`, kind: "grouped" };
  return { name: handler.replace(/^packages\/functions\/src\//, ""), kind: "trigger" };
}

const audienceOf = (handler: string) => AUDIENCES.find((a) => groupedHandler(a) === handler);

/** Synthesizes once and copies every function's bundle and source map out of the assembly. */
async function stageBundles(stage: string, grouped: boolean): Promise<Staged[]> {
  const { synthesize } = await import("../stacks/synth.js");
  const { addReferenceFunctions } = await import("./cold/reference-stack.js");
  rmSync(WORK, { recursive: true, force: true });
  const staged: Staged[] = [];
  const copy = (handler: string, id: string, from: string, file: string, map?: string) => {
    const dir = path.join(WORK, slug(id));
    cpSync(from, dir, { recursive: true });
    const copiedMap = map ? `${dir}.map` : undefined;
    if (map && copiedMap) cpSync(map, copiedMap);
    staged.push({
      ...nameOf(handler),
      handler,
      dir,
      file: path.join(dir, path.relative(from, file)),
      ...(copiedMap ? { sourcemap: copiedMap } : {}),
    });
  };
  await synthesize({
    stage,
    extend: (app) => addReferenceFunctions(app, { grouped }),
    onAssembly: (assembly) => {
      const ours = (handler: string) => /^(packages|bench|\.build)\//.test(handler);
      for (const bundle of stagedBundles(assembly, ours)) {
        copy(bundle.handler, bundle.id, bundle.dir, bundle.file, bundle.sourcemap);
      }
      const dist = path.join(stagedImageContext(assembly, "ImageProcessor"), "dist");
      const module = path.basename(PHOTO_PROCESSOR.handler).split(".")[0] as string;
      const file = path.join(dist, `${module}.mjs`);
      copy(PHOTO_PROCESSOR.handler, "processor", dist, file, `${file}.map`);
    },
  });
  writeFileSync(MANIFEST, JSON.stringify(staged, null, 2));
  return staged;
}

function eventsOf({ kind, handler }: Staged, env: ChildEnvironment): () => object[] {
  const route = routeOfHandler(handler);
  const audience = audienceOf(handler);
  if (route) return () => [apiEvent(route)];
  if (audience) return () => routes.filter((r) => r.auth === audience).map((r) => apiEvent(r));
  if (kind === "processor") return () => [processorEvent(env.BUCKET_NAME ?? "local")];
  if (kind === "floor") return () => [{}];
  return () => [postConfirmationEvent(env.USER_POOL_ID ?? "local")];
}

type ChildEnvironment = Record<string, string | undefined>;

/**
 * What a cold process gets: the environment a stage's stacks give its functions
 * (core's FunctionEnvironment), pointed at the local stack, and the stand-ins' keys.
 */
function childEnvironment(stack: LocalStack): ChildEnvironment {
  const { config } = stack.runtime;
  const env: FunctionEnvironment & { AWS_REGION: string } = {
    STAGE: config.STAGE,
    AWS_REGION: config.AWS_REGION,
    TABLE_NAME: config.TABLE_NAME,
    BUCKET_NAME: config.BUCKET_NAME,
    USER_POOL_ID: config.USER_POOL_ID,
    IMAGES_BASE_URL: config.IMAGES_BASE_URL,
    DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
    S3_ENDPOINT: config.S3_ENDPOINT,
    COGNITO_ENDPOINT: config.COGNITO_ENDPOINT,
    ENABLE_FEATURE_X: config.ENABLE_FEATURE_X ? "true" : "false",
  };
  return {
    ...process.env,
    ...env,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  };
}

function measuredOf(bundle: Staged): Measured {
  // The image's dist/ also holds the plain source map (stack traces in the container).
  const size = bundleSize(
    bundle.dir,
    (file) => !file.endsWith(".map") && !file.startsWith("node_modules"),
  );
  const top = bundle.sourcemap
    ? bytesByModule(readFileSync(bundle.sourcemap), readFileSync(bundle.file, "utf8")).slice(0, 5)
    : [];
  return {
    name: bundle.name,
    kind: bundle.kind,
    size,
    budget: budgetOf(bundle.handler),
    top,
    samples: [],
  };
}

/** The image installs sharp next to the bundle (Dockerfile): here, the workspace's copy. */
function linkSharp(dir: string): void {
  const fromCore = createRequire(path.join(ROOT, "packages/core/package.json"));
  // sharp's exports do not include its package.json: its folder from the main module's path.
  const main = fromCore.resolve("sharp");
  const sharp = main.slice(0, main.lastIndexOf(`${path.sep}sharp${path.sep}`) + "/sharp".length);
  if (existsSync(path.join(dir, "node_modules", "sharp"))) return;
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(sharp, path.join(dir, "node_modules", "sharp"), "dir");
}

function coldStart(file: string, event: object, env: ChildEnvironment): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file], {
      env: { ...env, COLD_EVENT: JSON.stringify(event), NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((candidate) => candidate.startsWith("COLD_RESULT "));
      if (!line) reject(new Error(`${file}: no result (exit ${code})\n${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice("COLD_RESULT ".length)) as Sample);
    });
  });
}

async function main() {
  const options = parseOptions();
  let staged: Staged[];
  if (options.reuse) {
    staged = JSON.parse(readFileSync(MANIFEST, "utf8")) as Staged[];
    log(`reusing the ${staged.length} bundles of the last synthesis (${MANIFEST})`);
  } else {
    log(`synthesizing stage ${options.stage} (SST bundles every function)`);
    await stageBundles(options.stage, options.grouped);
    // The measuring runs in a process of its own: with SST and the CDK loaded, DynamoDB
    // Local's start misses its deadline here, and the cold starts should not share the CPU
    // with a process holding a synthesis' garbage.
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), "--reuse"],
      { stdio: "inherit" },
    );
    process.exitCode = child.status ?? 1;
    return;
  }
  const targets = staged.filter(
    (bundle) =>
      bundle.kind === "floor" ||
      (options.only.split(",").some((text) => bundle.name.includes(text)) &&
        (options.grouped || bundle.kind !== "grouped")),
  );
  const processor = targets.find((bundle) => bundle.kind === "processor");
  if (processor) linkSharp(processor.dir);
  const measured = targets.map(measuredOf);
  log(`${targets.length} bundles; ${options.samples} cold starts each`);
  await withRetriedStart(async (stack) => {
    const env = childEnvironment(stack);
    // Round-robin: a change of load on the shared machine spreads over every function.
    for (let sample = 0; sample < options.samples; sample++) {
      for (const [index, target] of targets.entries()) {
        const events = eventsOf(target, env)();
        const event = events[sample % events.length] as object;
        measured[index]?.samples.push(await coldStart(target.file, event, env));
      }
      log(`round ${sample + 1}/${options.samples}`);
    }
  });
  if (options.json) console.log(JSON.stringify(measured, null, 2));
  else console.log(coldReport(measured, options.grouped));
}

/**
 * The local stack, started again when DynamoDB Local misses its start-up deadline (Java on a
 * loaded shared machine); nothing has been measured by then.
 */
async function withRetriedStart(
  fn: (stack: LocalStack) => Promise<void>,
  attempts = 6,
): Promise<void> {
  let started = false;
  for (let attempt = 1; ; attempt++) {
    try {
      await withLocalStack("localstays-bench-cold", async (stack) => {
        started = true;
        await fn(stack);
      });
      return;
    } catch (error) {
      if (started || attempt >= attempts) throw error;
      log(`the local stack did not start (${(error as Error).message}); again`);
    }
  }
}

runBench(main);
