import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { fingerprintAssets } from "../../src/promote/assets.js";
import { compare, type Report } from "../../src/promote/compare.js";
import { pascal } from "../../src/promote/normalise.js";
import type { Side } from "../../src/promote/side.js";

/**
 * Small real CDK apps for promote-check's tests: one stack per side, synthesized with CDK's
 * default synthesizer (the asset bucket and image repository SST uses too), named the way
 * the seed names stacks, with the assets fingerprinted as promote-check does for a stage.
 */
export const ACCOUNT = "123456789012";
export const REGION = "eu-north-1";

const scratch = mkdtempSync(path.join(tmpdir(), "localstays-promote-test-"));

export function removeScratch(): void {
  rmSync(scratch, { recursive: true, force: true });
}

/** A folder with these files, for `Code.fromAsset` and image assets. */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(scratch, "asset-"));
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

export function synthApp(
  stage: string,
  build: (stack: Stack, stage: string) => void,
  stackId = "Data",
): Side {
  const outdir = mkdtempSync(path.join(scratch, "cdk-out-"));
  const app = new App({ outdir });
  const stackName = `Localstays${pascal(stage)}${stackId}Stack`;
  const stack = new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } });
  build(stack, stage);
  const assembly = app.synth();
  return {
    label: stage,
    stage,
    account: ACCOUNT,
    region: REGION,
    stacks: { [stackId]: { stackName, template: assembly.getStackByName(stackName).template } },
    assets: fingerprintAssets(assembly.directory),
  };
}

export function check(before: Side, after: Side, allowIam = false): Report {
  return compare(before, after, {
    mode: before.stage === after.stage ? "commits" : "stages",
    target: after.stage,
    allowIam,
    migrations: { kind: "no-registry", note: "no registry in a test app" },
  });
}
