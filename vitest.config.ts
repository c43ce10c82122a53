import path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that synthesize stages the run shares (stacks/synth-cache.ts), started first, in
 * this order: a synthesis takes minutes on a loaded 2-core machine, and vitest's own order
 * on a clean clone (larger files first) would leave these small files for the end, one
 * worker idle meanwhile. Then vitest's order; last the files that only read syntheses the
 * first ones produced (promote-stages: dev1 and prod), so they never wait on one.
 * A new infra test file that describes a stage these already synthesize (describeStage with
 * the same environment) gets it from the cache and needs no entry here.
 */
const FIRST = [
  "stacks/test/release-stages.test.ts", // staging, prod
  "stacks/test/dev-stages.test.ts", // dev1, personal
  "packages/cli/test/promote-base-ref.test.ts", // two checkouts, each synthesized in a child
  "stacks/test/ses-sending.test.ts", // staging and prod with SES on: not shared (a mocked setting)
];
const LAST = ["packages/cli/test/promote-stages.test.ts"];

class SharedSynthesisFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const file = path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join("/");
      const first = FIRST.indexOf(file);
      if (first >= 0) return first - FIRST.length;
      return LAST.includes(file) ? 1 : 0;
    };
    // Array.prototype.sort is stable: vitest's order within each rank.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "stacks/test/**/*.test.ts",
    ],
    // One DynamoDB Local for the whole run; each test file creates its own table in it.
    // One synthesis per stage for the whole run, shared by the test files (stacks/synth-cache.ts).
    globalSetup: ["packages/local/src/vitest/global-setup.ts", "stacks/test/synth-cache-setup.ts"],
    setupFiles: ["packages/local/src/vitest/table-per-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Infra synthesis takes ~350 MB and a few seconds per stage; two workers fit 2 cores.
    maxWorkers: process.env.CI ? 2 : undefined,
    sequence: { sequencer: SharedSynthesisFirst },
  },
});
