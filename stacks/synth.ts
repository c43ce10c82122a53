import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Aspects } from "aws-cdk-lib";
import { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { App, getStack } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";
import { configureApp, stacks } from "../sst.config.js";
import { type StageSettings, stageSettings } from "./stage.js";
import {
  keep,
  keyOf,
  recordInputs,
  sharedEntry,
  synthCacheDir,
  synthKeyInputs,
} from "./synth-cache.js";
import { removeSiteBuilds, siteBuildDirs } from "./web-build.js";

/**
 * Offline synthesis of every stack for one stage: the code path of `sst deploy` (the same
 * sst.config.ts wiring) minus the AWS calls, used by `pnpm synth` and the infra tests.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Stands in for the deploying credentials' account when the stage has none configured. */
export const FAKE_ACCOUNT = "123456789012";

/** The stack functions of sst.config.ts by name (checked against `stacks` at synthesis). */
export type StackId =
  | "Params"
  | "Data"
  | "Storage"
  | "Images"
  | "Mail"
  | "Auth"
  | "Api"
  | "Web"
  | "Monitoring";
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is arbitrary JSON.
export type CfnTemplate = Record<string, any>;

export interface NagFinding {
  level: "error" | "warning" | "info";
  /** `AwsSolutions-IAM5` */
  rule: string;
  message: string;
  /** Construct path of the offending resource. */
  path: string;
  stackName: string;
}

export interface SynthOptions {
  stage: string;
  /**
   * SST's mode: "deploy" (`sst deploy`, the default) or "dev" (`sst dev`: live Lambda
   * stubs in place of the functions' code). Whatever a deploy made must survive dev mode
   * (stacks/test/dev-mode.test.ts).
   */
  mode?: "deploy" | "dev";
  /** The deploying account; defaults to the stage's configured account, else FAKE_ACCOUNT. */
  account?: string;
  /** Run cdk-nag's AwsSolutions pack and collect its findings. */
  nag?: boolean;
  /**
   * Called with the cloud assembly before its directory is removed: the staged assets
   * (function bundles, image build contexts) exist only until then (promote-check hashes them).
   * `staged.siteBuild` is the dashboard's build folder (Vite's dist/) of this synthesis.
   * Under a test run's synthesis cache (stacks/synth-cache.ts) both are the kept copies
   * other test files read too: only read them.
   */
  onAssembly?: (assembly: CloudAssembly, staged: StagedBuilds) => void | Promise<void>;
  /**
   * Adds to the app after sst.config.ts's stacks, with its default function props: the
   * cold-start bench's reference functions, bundled by SST exactly as the app's own.
   */
  extend?: (app: App) => void;
  /**
   * false: neither served from nor kept in the test run's synthesis cache, whose key knows
   * only the tree, the stage and the environment (a synthesis under a mocked module).
   */
  shared?: boolean;
}

export interface StagedBuilds {
  /** The dashboard's build folder (Vite's dist/) of this synthesis. */
  siteBuild: string;
}

export interface SynthResult {
  stage: string;
  mode: "deploy" | "dev";
  settings: StageSettings;
  account: string;
  region: string;
  /**
   * By stack function name (`Data`): the CloudFormation stack name, its template and the
   * stacks it depends on (cross-stack references), as synthesized.
   */
  stacks: Record<StackId, { stackName: string; template: CfnTemplate; dependsOn: StackId[] }>;
  nag: NagFinding[];
}

// SST keeps the project, the current app and its build cache in module globals: one
// synthesis at a time per process. Each process bundles functions and writes .sst/types
// into a directory of its own, so parallel test workers (and `sst dev`'s .sst/) never
// overwrite each other's artifacts.
let queue: Promise<unknown> = Promise.resolve();
const workDir = path.join(tmpdir(), `localstays-synth-${process.pid}`);

export function synthesize(options: SynthOptions): Promise<SynthResult> {
  const run = queue.then(() => synthesizeShared(options));
  queue = run.catch(() => undefined);
  return run;
}

/** A `docker` that only pretends to build (stacks/test/bin/docker). */
const DOCKER_STAND_IN_DIR = path.join(ROOT, "stacks", "test", "bin");
let dockerChecked = false;

/**
 * SST runs `docker build` for the container Function while synthesizing (and discards the
 * image: the deploy job's cdk-assets builds the staged context with real Docker). Without a
 * Docker engine (no CLI, or a CLI with no daemon, as on these machines) synthesis would
 * fail, so the stand-in goes first on PATH. With an engine (GitHub's runners) the real
 * build runs, which also proves the Dockerfile builds.
 */
function useDockerStandInWithoutEngine(): void {
  if (dockerChecked) return;
  dockerChecked = true;
  const probe = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    stdio: "ignore",
    timeout: 15_000,
  });
  if (probe.status === 0) return;
  process.env.PATH = `${DOCKER_STAND_IN_DIR}${path.delimiter}${process.env.PATH ?? ""}`;
  console.warn(
    "No Docker engine: stacks/test/bin/docker stands in, so container images are NOT built " +
      "(their build contexts are only staged as assets; the deploy job builds them).",
  );
}

/** The process environment every synthesis runs in (before a cache key reads it). */
function prepareEnvironment(): void {
  useDockerStandInWithoutEngine();
  // NODE_ENV=test is SST's switch for "no bootstrap stack lookups" in App.finish().
  process.env.NODE_ENV = "test";
  process.env.SST_TELEMETRY_DISABLED = "1";
  // SST bundles the functions one at a time on a 2-core machine (cores - 1); use both.
  process.env.SST_BUILD_CONCURRENCY ??= String(availableParallelism());
}

type CachedResult = Omit<SynthResult, "settings">;

/**
 * Through the test run's synthesis cache when there is one (stacks/synth-cache.ts says what
 * its key covers), else a synthesis of its own.
 */
async function synthesizeShared(options: SynthOptions): Promise<SynthResult> {
  const dir = synthCacheDir();
  // Dev mode is synthesized once per run anyway (dev-mode.test.ts); sharing is for deploy mode,
  // which the key describes (the key has no mode: a dev synthesis must never be served one).
  const shared = options.shared ?? true;
  if (!dir || !shared || options.extend || (options.mode ?? "deploy") !== "deploy") {
    return synthesizeNow(options);
  }
  prepareEnvironment();
  const { stage, account, nag = false, onAssembly } = options;
  // initProject sets SST_STAGE to the stage before anything reads it: the one left by this
  // process's previous synthesis must not tell two syntheses of a stage apart.
  let inputs: ReturnType<typeof synthKeyInputs>;
  try {
    inputs = synthKeyInputs({
      root: ROOT,
      stage,
      account,
      env: { ...process.env, SST_STAGE: stage },
    });
  } catch {
    // Not a git checkout (no way to list the tree's files): nothing is shared.
    return synthesizeNow(options);
  }
  const key = keyOf(inputs);
  recordInputs(dir, key, inputs);
  const entry = await sharedEntry<CachedResult>(dir, key, async (entryDir) => {
    const { settings: _settings, ...result } = await synthesizeNow({
      stage,
      ...(account ? { account } : {}),
      // cdk-nag's aspects add findings to the assembly's metadata only, not to a template:
      // one synthesis with them serves callers with and without.
      nag: true,
      onAssembly: (assembly, staged) => {
        keep(assembly.directory, path.join(entryDir, "assembly"));
        cpSync(staged.siteBuild, path.join(entryDir, "site"), { recursive: true });
      },
    });
    return result;
  });
  await onAssembly?.(new CloudAssembly(entry.assemblyDir), { siteBuild: entry.siteBuildDir });
  // Recomputed, not stored: a pure function of the stage and the environment in the key,
  // with values (RemovalPolicy) that JSON would not bring back.
  const settings = stageSettings(stage);
  return { ...entry.data, settings, nag: nag ? entry.data.nag : [] };
}

async function synthesizeNow({
  stage,
  mode = "deploy",
  account,
  nag = false,
  onAssembly,
  extend,
}: SynthOptions): Promise<SynthResult> {
  prepareEnvironment();
  // initProject loads .env files (as `sst deploy` does), which may set the account ids.
  await initProject({ stage, root: ROOT });
  const settings = stageSettings(stage);
  const target = account ?? settings.account ?? FAKE_ACCOUNT;
  const project = useProject();
  project.paths.out = workDir;
  project.paths.artifacts = path.join(workDir, "artifacts");
  mkdirSync(project.paths.artifacts, { recursive: true });

  const outdir = mkdtempSync(path.join(workDir, `cdk-${stage}-`));
  try {
    const app = new App(
      {
        mode,
        stage,
        name: project.config.name,
        region: project.config.region,
        account: target,
      },
      { outdir },
    );
    if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    configureApp(app);
    extend?.(app);
    await app.finish();
    const assembly = app.synth();

    const result = {} as SynthResult["stacks"];
    const findings: NagFinding[] = [];
    const idByArtifact = new Map(stacks.map((fn) => [getStack(fn).artifactId, fn.name]));
    for (const fn of stacks) {
      if (!isStackId(fn.name))
        throw new Error(`Add stack ${fn.name} to StackId in stacks/synth.ts`);
      const { stackName, artifactId } = getStack(fn);
      const artifact = assembly.getStackArtifact(artifactId);
      const dependsOn = artifact.dependencies
        .map((dependency) => idByArtifact.get(dependency.id))
        .filter((id): id is StackId => id !== undefined && isStackId(id));
      result[fn.name] = { stackName, template: artifact.template, dependsOn };
      for (const message of artifact.messages) {
        const finding = toNagFinding(message.level, String(message.entry.data), message.id);
        if (finding) findings.push({ ...finding, stackName });
      }
    }
    // Last: the templates above are read from the assembly's folder, which onAssembly may
    // move away (the synthesis cache keeps it).
    const [siteBuild, ...others] = siteBuildDirs();
    if (!siteBuild || others.length > 0 || !existsSync(siteBuild)) {
      throw new Error(`Expected one build of the dashboard, found ${siteBuildDirs().join(", ")}`);
    }
    await onAssembly?.(assembly, { siteBuild });
    return {
      stage,
      mode,
      settings,
      account: target,
      region: app.region,
      stacks: result,
      nag: findings,
    };
  } finally {
    // Bundles and assembly are copies; the templates are in memory. (SST's build handler
    // keeps the first project's paths, so the next synthesis recreates the same directory.)
    rmSync(workDir, { recursive: true, force: true });
    // The dashboard's build folder of this synthesis (stacks/Web.ts): zipped and staged.
    removeSiteBuilds();
  }
}

const STACK_IDS: readonly string[] = [
  "Params",
  "Data",
  "Storage",
  "Images",
  "Mail",
  "Auth",
  "Api",
  "Web",
  "Monitoring",
] satisfies StackId[];

function isStackId(name: string): name is StackId {
  return STACK_IDS.includes(name);
}

const NAG_MESSAGE = /^(AwsSolutions-[A-Za-z0-9]+)(\[[^\]]*\])?:/;

function toNagFinding(level: string, data: string, constructPath: string) {
  const match = NAG_MESSAGE.exec(data);
  if (!match?.[1]) return undefined;
  return {
    level: level as NagFinding["level"],
    rule: match[1],
    message: data,
    path: constructPath,
  };
}
