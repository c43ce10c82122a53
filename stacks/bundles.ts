import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { deflateRawSync } from "node:zlib";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";

/**
 * The function bundles a synthesis staged in its cloud assembly: exactly what `sst deploy`
 * uploads (SST's esbuild output, one asset folder per function), read by the size budgets
 * (stacks/test) and the cold-start bench (bench/cold.ts).
 */
export interface StagedBundle {
  /** Construct path of the function in its stack: `Api/Lambda_GET_--api--v1--health`. */
  id: string;
  stackName: string;
  /** The Lambda handler, relative to `dir`: `packages/functions/src/api/health.handler`. */
  handler: string;
  /** The staged folder (zipped as it is for upload). */
  dir: string;
  /** The module the handler names, inside `dir`. */
  file: string;
  /** The bundle's source map as SST stages it for its sourcemap uploader (gzipped). */
  sourcemap?: string;
}

interface AssetManifest {
  files: Record<string, { displayName?: string; source: { path: string } }>;
  dockerImages?: Record<string, { displayName?: string; source: { directory: string } }>;
}

type Template = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

function manifestOf(assembly: CloudAssembly, artifactId: string): AssetManifest {
  return JSON.parse(
    readFileSync(path.join(assembly.directory, `${artifactId}.assets.json`), "utf8"),
  ) as AssetManifest;
}

/**
 * Every zip function whose handler is ours (not SST's or CDK's framework functions), by the
 * asset its Code names. `ours` tells a handler of the app from the rest.
 */
export function stagedBundles(
  assembly: CloudAssembly,
  ours: (handler: string) => boolean = (handler) => handler.startsWith("packages/"),
): StagedBundle[] {
  const bundles: StagedBundle[] = [];
  for (const stack of assembly.stacks) {
    const manifest = manifestOf(assembly, stack.id);
    const byName = new Map(
      Object.values(manifest.files).map((file) => [file.displayName, file.source.path]),
    );
    const resources = (stack.template as Template).Resources ?? {};
    for (const resource of Object.values(resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const props = resource.Properties ?? {};
      const handler = String(props.Handler ?? "");
      if (!ours(handler)) continue;
      const key = String((props.Code as { S3Key?: unknown } | undefined)?.S3Key ?? "");
      const asset = manifest.files[key.replace(/\.zip$/, "")];
      if (!asset?.displayName) throw new Error(`No staged code for ${handler} in ${stack.id}`);
      const id = asset.displayName.replace(/\/Code$/, "");
      const map = byName.get(`${id}/${path.posix.basename(id)}-Sourcemap`);
      const dir = path.join(assembly.directory, asset.source.path);
      bundles.push({
        id,
        stackName: stack.stackName,
        handler,
        dir,
        file: path.join(dir, `${handler.slice(0, handler.lastIndexOf("."))}.mjs`),
        ...(map ? { sourcemap: path.join(assembly.directory, map) } : {}),
      });
    }
  }
  return bundles;
}

/** The build context of a container-image function (the photo processor), by construct id. */
export function stagedImageContext(assembly: CloudAssembly, constructId: string): string {
  for (const stack of assembly.stacks) {
    for (const image of Object.values(manifestOf(assembly, stack.id).dockerImages ?? {})) {
      if (image.displayName === `${constructId}/AssetImage`) {
        return path.join(assembly.directory, image.source.directory);
      }
    }
  }
  throw new Error(`No staged image context for ${constructId}`);
}

export interface BundleSize {
  /** Bytes of the staged files. */
  unzipped: number;
  /**
   * Bytes of the zip CDK uploads: each file deflated (level 9) plus the zip format's local
   * header, central directory entry and end record. CDK zips at publish time, not at
   * synthesis; this is the same archive computed from the same files.
   */
  zipped: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => statSync(path.join(dir, name)).isFile())
    .sort();
}

/** The size of `dir` as a zip, or of the files `include` keeps. */
export function bundleSize(
  dir: string,
  include: (name: string) => boolean = () => true,
): BundleSize {
  let unzipped = 0;
  let zipped = 22;
  for (const name of filesUnder(dir).filter(include)) {
    const bytes = readFileSync(path.join(dir, name));
    const nameBytes = Buffer.byteLength(name);
    unzipped += bytes.length;
    zipped += 30 + nameBytes + deflateRawSync(bytes, { level: 9 }).length + 46 + nameBytes;
  }
  return { unzipped, zipped };
}

/**
 * The size budget of every function we bundle, in bytes of the staged (minified) bundle.
 * The target is 250 kB for an API function, but the floor alone (the bare DynamoDB
 * client sending one GetItem, bundled the same way) is 352 kB: no function that reads
 * DynamoDB through a bundled SDK v3 fits (docs/performance.md). The budgets were what the
 * bundles measured when minification came in, plus ~10% (API 976 kB with the S3 client,
 * 830 kB without; the trigger 854 kB; the processor 979 kB): growth fails CI and has to be
 * argued for here.
 *
 * Telemetry (issue 18) added ~150 kB to every bundle: Powertools Metrics and the correlated
 * logging ~17 kB, loaded at every cold start; the X-Ray tracer (Powertools Tracer and
 * aws-xray-sdk-core) ~133 kB, behind an import() that only runs where the stage traces
 * (`tracing`, stacks/stage.ts): on the dev stages it is parsed, never evaluated. Measured
 * (esbuild as SST runs it): photo routes 977 -> 1 128 kB, the trigger 856 -> 1 005 kB, the
 * processor 980 -> 1 130 kB; the budgets moved by the same ~150 kB.
 *
 * The API budget moved again (1 230 -> 1 300 kB) when access-token checks (aws-jwt-verify's
 * field checks), quotas and the outbox's mail items came in together: photo routes 1 274 kB.
 */
export const BUNDLE_BUDGETS = [
  { matches: /^packages\/functions\/src\/api\//, bytes: 1_300_000 },
  { matches: /^packages\/functions\/src\/auth\//, bytes: 1_095_000 },
  { matches: /^packages\/functions\/src\/images\/processor\./, bytes: 1_235_000 },
  // Measured when they came in (+10%): the sweeper 1 103 kB, the outbox delivery 1 064 kB
  // (SES v2 client too), the SES events 949 kB.
  { matches: /^packages\/functions\/src\/images\/sweep\./, bytes: 1_215_000 },
  { matches: /^packages\/functions\/src\/mail\//, bytes: 1_170_000 },
] as const;

/** A handler's budget; none (a failure in the test) for a function nobody budgeted. */
export function budgetOf(handler: string): number | undefined {
  return BUNDLE_BUDGETS.find((budget) => budget.matches.test(handler))?.bytes;
}
