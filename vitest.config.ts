import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "stacks/test/**/*.test.ts",
    ],
    // One DynamoDB Local for the whole run; each test file creates its own table in it.
    globalSetup: ["packages/local/src/vitest/global-setup.ts"],
    setupFiles: ["packages/local/src/vitest/table-per-file.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Infra synthesis takes ~350 MB and a few seconds per stage; two workers fit 2 cores.
    maxWorkers: process.env.CI ? 2 : undefined,
  },
});
