import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FileSystem, IgnoreMode } from "aws-cdk-lib";
import { afterAll, describe, expect, it } from "vitest";
import { PHOTO_PROCESSOR } from "../../packages/functions/src/function-names.js";
import {
  BUNDLE_DIR,
  BUNDLE_FILE,
  bundleProcessor,
} from "../../packages/functions/src/images/bundle.js";
import { ROOT } from "../synth.js";

/**
 * The photo processor's container image, checked once (not per stage): what goes into the
 * build context, what the Dockerfile does with it, and the offline docker stand-in.
 */
const context = path.join(ROOT, PHOTO_PROCESSOR.buildContext);
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const tmp = mkdtempSync(path.join(tmpdir(), "localstays-image-context-"));

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

describe("the photo processor's container image", () => {
  it("pins sharp to the version core is tested with, and locks its linux-x64 binaries", () => {
    const coreSharp = readJson(path.join(ROOT, "packages/core/package.json")).dependencies.sharp;
    const image = readJson(path.join(context, "package.json"));
    expect(image.dependencies).toEqual({ sharp: coreSharp });
    const lock = readJson(path.join(context, "package-lock.json"));
    expect(lock.packages["node_modules/sharp"].version).toBe(coreSharp);
    for (const binary of ["@img/sharp-linux-x64", "@img/sharp-libvips-linux-x64"]) {
      expect(lock.packages[`node_modules/${binary}`], binary).toMatchObject({
        os: ["linux"],
        cpu: ["x64"],
        libc: ["glibc"],
      });
    }
    // The Dockerfile runs npm ci --ignore-scripts: no locked package may need its script.
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: true }>)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([name]) => name);
    expect(withScripts).toEqual([]);
  });

  it("builds on the Lambda Node.js 20 base image, pinned by digest, with npm ci, and runs the bundled handler", () => {
    const dockerfile = readFileSync(path.join(context, "Dockerfile"), "utf8");
    const instructions = dockerfile
      .split("\n")
      .filter((line) => /^[A-Z]+ /.test(line))
      .map((line) => line.split(" ")[0]);
    expect(instructions).toEqual(["FROM", "COPY", "RUN", "ENV", "COPY", "CMD"]);
    // By digest (a tag moves under a rebuild of the same commit), with the tag for readers and
    // Dependabot.
    expect(dockerfile).toMatch(/\nFROM public\.ecr\.aws\/lambda\/nodejs:20@sha256:[0-9a-f]{64}\n/);
    expect(dockerfile).toMatch(/\nRUN npm ci --omit=dev --ignore-scripts /);
    expect(dockerfile).toContain(`\nCOPY ${BUNDLE_DIR}/ \${LAMBDA_TASK_ROOT}/\n`);
    // processor.handler: the bundle's module name and the route table's export.
    const handler = path.basename(PHOTO_PROCESSOR.handler);
    expect(dockerfile).toContain(`\nCMD ["${handler}"]`);
    expect(BUNDLE_FILE).toBe(`${handler.split(".")[0]}.mjs`);
  });

  it("stages only the Dockerfile, the npm manifest and lock and the bundle as the build context", () => {
    // A context with everything that may sit in the folder next to what the image needs.
    const source = path.join(tmp, "context");
    mkdirSync(path.join(source, BUNDLE_DIR), { recursive: true });
    for (const file of [".dockerignore", "Dockerfile", "package.json", "package-lock.json"]) {
      copyFileSync(path.join(context, file), path.join(source, file));
    }
    const decoys = [
      "processor.ts",
      "processor.test.ts",
      "fixtures/big.jpg",
      "node_modules/sharp/package.json",
      ".DS_Store",
    ];
    for (const file of [
      ...decoys,
      `${BUNDLE_DIR}/${BUNDLE_FILE}`,
      `${BUNDLE_DIR}/${BUNDLE_FILE}.map`,
    ]) {
      mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      writeFileSync(path.join(source, file), "x");
    }
    // As CDK's DockerImageAsset stages a context for SST's container Function (glob rules).
    const dockerignore = readFileSync(path.join(source, ".dockerignore"), "utf8")
      .split("\n")
      .filter(Boolean);
    const staged = path.join(tmp, "staged");
    FileSystem.copyDirectory(source, staged, {
      exclude: [...dockerignore, ".sst/dist", ".sst/artifacts", "!.dockerignore", "!Dockerfile"],
      ignoreMode: IgnoreMode.GLOB,
    });
    expect(filesUnder(staged)).toEqual(
      [
        ".dockerignore",
        "Dockerfile",
        "package-lock.json",
        "package.json",
        `${BUNDLE_DIR}/${BUNDLE_FILE}`,
        `${BUNDLE_DIR}/${BUNDLE_FILE}.map`,
      ].sort(),
    );
  });

  it("bundles the processor as one ES module for Node 20 with sharp left to the image, rewriting nothing when current", () => {
    bundleProcessor(ROOT);
    const bundle = readFileSync(path.join(context, BUNDLE_DIR, BUNDLE_FILE), "utf8");
    expect(
      bundle.startsWith('import { createRequire as __bundleCreateRequire } from "node:module";'),
    ).toBe(true);
    expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
    expect(bundle).not.toContain("@img/sharp-");
    expect(bundle).toContain(`//# sourceMappingURL=${BUNDLE_FILE}.map`);
    expect(bundleProcessor(ROOT)).toEqual([]);
  });

  it("has an offline docker stand-in that fakes `docker build` only and says the image was not built", () => {
    const standIn = path.join(ROOT, "stacks/test/bin/docker");
    const build = spawnSync(
      standIn,
      ["build", "-t", "sst-build:x", "--platform", "linux/amd64", "."],
      {
        cwd: tmp,
        encoding: "utf8",
      },
    );
    expect(build.status).toBe(0);
    expect(build.stderr).toContain("image NOT built");
    const push = spawnSync(standIn, ["push", "x"], { encoding: "utf8" });
    expect(push.status).toBe(1);
    expect(push.stderr).toContain("needs a real Docker engine");
  });
});
