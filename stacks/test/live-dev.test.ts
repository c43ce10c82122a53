import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { VisibleError } from "sst/error.js";
import { afterAll, describe, expect, it } from "vitest";
import {
  refuseInStacks,
  refuseOnPipelineStage,
  sstCommand,
  stageBeforeConfig,
} from "../live-dev.js";
import { stageSettings } from "../stage.js";

// Not synth.ts's ROOT: importing it loads aws-cdk-lib and SST's constructs (seconds).
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SST = path.join(ROOT, "node_modules", "sst", "cli", "sst.js");
const argv = (...args: string[]) => ["/usr/bin/node", SST, ...args];

describe("which stages refuse sst dev and sst remove", () => {
  it("staging and prod only: dev1 and personal stages allow both", () => {
    const stages = ["dev1", "staging", "prod", "alice", "pr-42"];
    expect(stages.filter((stage) => stageSettings(stage, {}).pipelineOnly)).toEqual([
      "staging",
      "prod",
    ]);
  });

  it.each([
    ["dev", "staging"],
    ["start", "prod"],
    ["remove", "staging"],
    ["remove", "prod"],
  ])("refuses `sst %s` on %s with SST's VisibleError", (command, stage) => {
    expect(() => refuseOnPipelineStage(command, stage, {})).toThrow(VisibleError);
    expect(() => refuseOnPipelineStage(command, stage, {})).toThrow(
      new RegExp(`^Refusing \`sst ${command}\` on stage "${stage}"`),
    );
  });

  it.each([
    ["deploy", "prod"],
    ["diff", "staging"],
    ["types", "prod"],
    ["bind", "staging"],
    ["dev", "dev1"],
    ["remove", "alice"],
    [undefined, "prod"],
    ["dev", undefined],
  ])("lets `sst %s` on %s through", (command, stage) => {
    expect(() => refuseOnPipelineStage(command, stage, {})).not.toThrow();
  });
});

describe("the stage as config() can know it", () => {
  const root = mkdtempSync(path.join(tmpdir(), "live-dev-"));
  writeFileSync(path.join(root, "sst.config.ts"), "");
  mkdirSync(path.join(root, ".sst"));
  mkdirSync(path.join(root, "packages", "web"), { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("follows SST's order: --stage, then SST_STAGE, then .sst/stage of the project root", () => {
    writeFileSync(path.join(root, ".sst", "stage"), "staging\n");
    const web = path.join(root, "packages", "web");
    expect(stageBeforeConfig({ stage: "dev1" }, { SST_STAGE: "prod" }, web)).toBe("dev1");
    expect(stageBeforeConfig({}, { SST_STAGE: "prod" }, web)).toBe("prod");
    expect(stageBeforeConfig({}, {}, web)).toBe("staging");
    rmSync(path.join(root, ".sst", "stage"));
    expect(stageBeforeConfig({}, {}, web)).toBeUndefined();
  });
});

describe("the command as stacks() reads it", () => {
  it("is the first argument of SST's CLI that is neither an option nor its value", () => {
    expect(sstCommand(argv("remove", "--stage", "prod"))).toBe("remove");
    expect(sstCommand(argv("--stage", "prod", "remove"))).toBe("remove");
    expect(sstCommand(argv("--stage=prod", "--verbose", "types"))).toBe("types");
    expect(sstCommand(["/usr/bin/node", "/x/.bin/sst", "bind", "--stage", "prod"])).toBe("bind");
    // Not SST's CLI: vitest, `pnpm synth`.
    expect(sstCommand(["/usr/bin/node", "/x/vitest.mjs", "remove"])).toBeUndefined();
  });

  it("refuses dev mode and `sst remove` on staging, but not `sst types` or `sst bind` (also mode remove)", () => {
    expect(() => refuseInStacks({ mode: "dev", stage: "staging" }, argv("dev"), {})).toThrow(
      /Refusing `sst dev` on stage "staging"/,
    );
    expect(() => refuseInStacks({ mode: "remove", stage: "prod" }, argv("remove"), {})).toThrow(
      /Refusing `sst remove` on stage "prod"/,
    );
    expect(() =>
      refuseInStacks({ mode: "dev", stage: "prod" }, argv("diff", "--dev"), {}),
    ).not.toThrow();
    for (const command of ["types", "bind"]) {
      expect(() =>
        refuseInStacks({ mode: "remove", stage: "prod" }, argv(command), {}),
      ).not.toThrow();
    }
    expect(() =>
      refuseInStacks({ mode: "deploy", stage: "prod" }, argv("deploy"), {}),
    ).not.toThrow();
    expect(() => refuseInStacks({ mode: "dev", stage: "dev1" }, argv("dev"), {})).not.toThrow();
  });
});

/**
 * The real SST CLI, with no AWS credentials anywhere it looks: the refusal has to come from
 * sst.config.ts before SST's first AWS call (which would fail on the missing credentials).
 */
describe("the sst CLI without AWS credentials", () => {
  const run = promisify(execFile);
  const noAws = path.join(tmpdir(), "localstays-no-aws-config");
  const sst = (args: string[]) =>
    run(process.execPath, [SST, ...args], {
      cwd: ROOT,
      timeout: 200_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? tmpdir(),
        AWS_CONFIG_FILE: noAws,
        AWS_SHARED_CREDENTIALS_FILE: noAws,
        AWS_EC2_METADATA_DISABLED: "true",
        SST_TELEMETRY_DISABLED: "1",
        // SST's own "deployed in production" prompt is skipped in CI; ours is not a prompt.
        CI: "true",
        NO_COLOR: "1",
      },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );

  // Two runs (~7 s of CPU each, SST's CLI loading aws-cdk-lib): the refusal, and dev1 as the
  // contrast that shows the command gets past sst.config.ts when the stage allows it. The
  // other commands and the stage's other sources are covered above, without the CLI.
  it("refuses `sst dev --stage staging` from sst.config.ts, and lets `sst dev --stage dev1` go on to AWS", async () => {
    const [staging, dev1] = await Promise.all([
      sst(["dev", "--stage", "staging"]),
      sst(["dev", "--stage", "dev1"]),
    ]);
    expect(staging.code).toBe(1);
    expect(staging.output).toContain('Error: Refusing `sst dev` on stage "staging"');
    expect(staging.output).toContain('"staging" changes only through the pipeline');
    expect(staging.output).toContain("`pnpm sst dev --stage dev1`");
    // Refused before any AWS call, and as SST's VisibleError: no stack trace.
    expect(staging.output).not.toMatch(/credentials|STS|Trace:/i);
    // The same command on dev1 passes sst.config.ts and fails only at SST's first AWS call.
    expect(dev1.code).toBe(1);
    expect(dev1.output).not.toContain("Refusing");
    expect(dev1.output).toContain("Could not load credentials from any providers");
  }, 240_000); // A loaded 2-core machine took 26 s of wall time for one run (6.5 s of CPU).
});
