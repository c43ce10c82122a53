import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parseSynthSummary } from "../../../../stacks/synth-summary.js";
import { fingerprintAssets } from "./assets.js";
import { pascal } from "./normalise.js";
import { flatten, type Side, type SideStack, type Template } from "./side.js";

/**
 * The two ways a side is synthesized, both through the infra tests' recipe (stacks/synth.ts):
 *
 * - in this process, for stages of this tree: also fingerprints the staged assets, which
 *   only exist while synthesis runs (SynthOptions.onAssembly);
 * - in a child process `tsx stacks/synth-cli.ts` run in a tree's own folder, for commits:
 *   SST keeps its project and app in module globals, so another tree's code needs a process
 *   of its own. Only templates come back, which is enough within one stage.
 */
const run = promisify(execFile);

export class SynthesisError extends Error {
  override name = "SynthesisError";
}

/** `LocalstaysStagingApiStack` -> `Api` (the seed's stack names, stacks/stage.ts). */
export function stackIdOf(stage: string, stackName: string): string {
  const prefix = `Localstays${pascal(stage)}`;
  return stackName.startsWith(prefix) && stackName.endsWith("Stack")
    ? stackName.slice(prefix.length, -"Stack".length)
    : stackName;
}

/**
 * SST prints its progress (`➜  Building the container image ...`) to stdout, which carries
 * only the report (JSON included): while synthesizing, stdout goes to stderr.
 */
async function withStdoutOnStderr<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

export async function synthesizeStage(stage: string, label = stage): Promise<Side> {
  const { synthesize } = await import("../../../../stacks/synth.js");
  let assets: Record<string, string> | undefined;
  const result = await withStdoutOnStderr(() =>
    synthesize({
      stage,
      onAssembly: (assembly) => {
        assets = fingerprintAssets(assembly.directory);
      },
    }),
  );
  const stacks: Record<string, SideStack> = {};
  for (const [id, { stackName, template }] of Object.entries(result.stacks)) {
    stacks[id] = { stackName, template: template as Template };
  }
  return {
    label,
    stage,
    account: result.account,
    region: result.region,
    stacks,
    ...(assets ? { assets } : {}),
    settings: flatten(result.settings),
  };
}

/** The tail of a child's output: where a synthesis error says what went wrong. */
function tail(text: string, lines = 25): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** `signal` stops the child (SIGTERM), e.g. once the other side has failed. */
export async function synthesizeTree(
  dir: string,
  stage: string,
  label: string,
  signal?: AbortSignal,
): Promise<Side> {
  const out = mkdtempSync(path.join(tmpdir(), "localstays-promote-synth-"));
  try {
    let stdout: string;
    try {
      ({ stdout } = await run(
        path.join(dir, "node_modules", ".bin", "tsx"),
        ["stacks/synth-cli.ts", "--stage", stage, "--out", out],
        {
          cwd: dir,
          env: { ...process.env, SST_TELEMETRY_DISABLED: "1" },
          maxBuffer: 64 * 1024 * 1024,
          timeout: 15 * 60_000,
          ...(signal ? { signal } : {}),
        },
      ));
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new SynthesisError(
        `Synthesizing ${label} (stage ${stage}) in ${dir} failed:\n` +
          tail(`${failed.stdout ?? ""}\n${failed.stderr ?? failed.message}`),
      );
    }
    const target = parseSynthSummary(stdout);
    if (!target) {
      // Never trust a silent success (FINDINGS: SST can exit 0 having printed nothing).
      throw new SynthesisError(`Synthesizing ${label} printed no summary:\n${tail(stdout)}`);
    }
    const stacks: Record<string, SideStack> = {};
    for (const file of readdirSync(out).filter((name) => name.endsWith(".template.json"))) {
      const stackName = file.slice(0, -".template.json".length);
      const template = JSON.parse(readFileSync(path.join(out, file), "utf8")) as Template;
      stacks[stackIdOf(stage, stackName)] = { stackName, template };
    }
    return {
      label,
      stage,
      account: target.account,
      region: target.region,
      stacks: ordered(stacks, stdout, out),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The stacks in the order synth-cli printed them (sst.config.ts's dependency order). */
function ordered(stacks: Record<string, SideStack>, stdout: string, out: string) {
  const position = (stack: SideStack) =>
    stdout.indexOf(path.join(out, `${stack.stackName}.template.json`));
  return Object.fromEntries(
    Object.entries(stacks).sort(([, a], [, b]) => position(a) - position(b)),
  );
}
