import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PHOTO_PROCESSOR } from "../function-names.js";

/**
 * Bundles the photo processor (processor.ts and everything it imports from the workspace)
 * into this folder's `dist/`, the only code the Dockerfile copies into the image. SST runs
 * nothing but `docker build` in this folder, and the image cannot use pnpm's symlinked
 * node_modules, so the stacks (stacks/Images.ts) call this at synthesis: `sst deploy` and
 * `sst dev` need no extra step. sharp stays external: the image installs it with npm ci.
 *
 * `dist/`, not `.build/`: SST's dev watcher ignores `.build` folders, and a new bundle has
 * to trigger its container rebuild under `sst dev`.
 *
 * By hand: `pnpm tsx packages/functions/src/images/bundle.ts`, then docker build (Dockerfile).
 */

/** The image's build context (the SST handler of the container Function), from the repo root. */
const IMAGE_CONTEXT = PHOTO_PROCESSOR.buildContext;
/** `processor` of `.../processor.handler`: the module the Dockerfile's CMD names. */
const HANDLER_MODULE = path.basename(PHOTO_PROCESSOR.handler).split(".")[0] as string;
/** The bundle inside the context, which the Dockerfile copies into the task root. */
export const BUNDLE_DIR = "dist";
export const BUNDLE_FILE = `${HANDLER_MODULE}.mjs`;

// Bundled CommonJS dependencies call require(), which an ES module does not have.
const CJS_BANNER =
  'import { createRequire as __bundleCreateRequire } from "node:module";' +
  "const require = __bundleCreateRequire(import.meta.url);";

/** The part of esbuild's API used here (esbuild comes with sst; this package does not depend on it). */
interface OutputFile {
  path: string;
  contents: Uint8Array;
}
interface BuildResult {
  errors: unknown[];
  outputFiles?: OutputFile[];
}
interface Plugin {
  name: string;
  setup(build: { onEnd(callback: (result: BuildResult) => void): void }): void;
}
interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: OutputFile[] };
  context(
    options: Record<string, unknown> & { plugins: Plugin[] },
  ): Promise<{ watch(): Promise<void> }>;
}

/** sst's own esbuild: the one `sst deploy` bundles every other function with. */
function loadEsbuild(root: string): Esbuild {
  const requireFromRoot = createRequire(path.join(root, "package.json"));
  // pnpm keeps sst's dependencies next to its real path, not next to the symlink.
  const sst = realpathSync(requireFromRoot.resolve("sst/package.json"));
  return createRequire(sst)("esbuild") as Esbuild;
}

function buildOptions(root: string) {
  const context = path.join(root, IMAGE_CONTEXT);
  return {
    absWorkingDir: root,
    entryPoints: [path.join(context, `${HANDLER_MODULE}.ts`)],
    outfile: path.join(context, BUNDLE_DIR, BUNDLE_FILE),
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    // ESM builds of the AWS SDK and friends first: smaller after tree shaking.
    mainFields: ["module", "main"],
    external: ["sharp"],
    banner: { js: CJS_BANNER },
    minify: true,
    // Error classes are matched and logged by name.
    keepNames: true,
    // Mappings only (the Dockerfile turns on --enable-source-maps): readable stack traces
    // without shipping the sources a second time.
    sourcemap: true,
    sourcesContent: false,
    logLevel: "silent",
  };
}

/**
 * Writes each output whose bytes changed, through a temporary file outside the build
 * context and a rename: test workers synthesize in parallel and fingerprint this folder,
 * so no half-written or vanishing file may ever appear in it.
 */
function writeChanged(root: string, outputs: OutputFile[]): string[] {
  const tmpDir = path.join(root, ".build", "tmp");
  const written: string[] = [];
  for (const output of outputs) {
    let current: Buffer | undefined;
    try {
      current = readFileSync(output.path);
    } catch {
      current = undefined;
    }
    if (current?.equals(output.contents)) continue;
    mkdirSync(tmpDir, { recursive: true });
    mkdirSync(path.dirname(output.path), { recursive: true });
    const tmp = path.join(tmpDir, `${path.basename(output.path)}.${process.pid}.${randomUUID()}`);
    writeFileSync(tmp, output.contents);
    renameSync(tmp, output.path);
    written.push(output.path);
  }
  return written;
}

/** Bundles the processor once; returns the files that changed (none when already current). */
export function bundleProcessor(root: string): string[] {
  let outputs: OutputFile[];
  try {
    outputs = loadEsbuild(root).buildSync(buildOptions(root)).outputFiles;
  } catch (error) {
    throw new Error(
      `Bundling the photo processor (${IMAGE_CONTEXT}/${HANDLER_MODULE}.ts) failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  return writeChanged(root, outputs);
}

// `sst dev` re-imports the stacks on every stack change: the watcher lives on globalThis so
// each process starts one.
const WATCHING = Symbol.for("localstays.imageProcessorBundleWatch");

/**
 * Keeps the bundle current while `sst dev` runs: processor and core edits rebuild it, and
 * the new bundle in the context makes SST rebuild the container.
 */
export function watchProcessor(root: string): void {
  const registry = globalThis as typeof globalThis & { [WATCHING]?: true };
  if (registry[WATCHING]) return;
  registry[WATCHING] = true;
  const writeOnEnd: Plugin = {
    name: "write-changed",
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0 && result.outputFiles)
          writeChanged(root, result.outputFiles);
      });
    },
  };
  loadEsbuild(root)
    .context({ ...buildOptions(root), logLevel: "error", plugins: [writeOnEnd] })
    .then((context) => context.watch())
    .catch((error: unknown) => {
      console.error("Could not watch the photo processor for changes:", error);
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
  const written = bundleProcessor(root);
  console.log(
    written.length > 0
      ? `Bundled the photo processor: ${written.map((file) => path.relative(root, file)).join(", ")}`
      : `The photo processor bundle in ${IMAGE_CONTEXT}/${BUNDLE_DIR} is up to date.`,
  );
}
