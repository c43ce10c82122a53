import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { expect, it } from "vitest";
import { cognitoTriggers } from "../../packages/functions/src/auth/triggers.js";
import {
  MAIL_FUNCTIONS,
  PHOTO_PROCESSOR,
  UPLOAD_SWEEPER_HANDLER,
} from "../../packages/functions/src/function-names.js";
import { routes } from "../../packages/functions/src/routes.js";
import {
  type BundleSize,
  budgetOf,
  bundleSize,
  stagedBundles,
  stagedImageContext,
} from "../bundles.js";

/** Every function's staged bundle and its size, read while the synthesis still has them. */
export interface BundleContext {
  bundles: { handler: string; size: BundleSize }[];
}

/** Called with the cloud assembly (SynthOptions.onAssembly). */
export function bundlesOf(assembly: CloudAssembly): BundleContext["bundles"] {
  const zips = stagedBundles(assembly).map(({ handler, dir }) => ({
    handler,
    size: bundleSize(dir),
  }));
  // The processor's image holds its bundle (dist/), whose source map is for stack traces.
  const dist = `${stagedImageContext(assembly, "ImageProcessor")}/dist`;
  const processor = {
    handler: PHOTO_PROCESSOR.handler,
    size: bundleSize(dist, (f) => !f.endsWith(".map")),
  };
  return [...zips, processor];
}

/**
 * The size budgets of stacks/bundles.ts over what `sst deploy` would upload: a size, not a
 * time, so it holds on any machine. `pnpm bench:cold` measures the init times.
 */
export function bundleSpec(ctx: BundleContext) {
  it("keeps every function's staged bundle within its size budget (stacks/bundles.ts)", () => {
    const handlers = ctx.bundles.map((bundle) => bundle.handler).sort();
    expect(handlers).toEqual(
      [
        ...routes.map((route) => route.handler),
        ...Object.values(cognitoTriggers),
        PHOTO_PROCESSOR.handler,
        UPLOAD_SWEEPER_HANDLER,
        ...Object.values(MAIL_FUNCTIONS),
      ].sort(),
    );
    const over = ctx.bundles
      .map(({ handler, size }) => ({ handler, bytes: size.unzipped, budget: budgetOf(handler) }))
      .filter(({ bytes, budget }) => budget === undefined || bytes > budget);
    expect(over).toEqual([]);
  });
}
