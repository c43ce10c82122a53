import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * One synthesis per (tree, stage, account, environment) per test run, shared by every test
 * file that asks for it.
 *
 * How to use it: call `synthesize()` (stacks/synth.ts) as usual, or `describeStage`
 * (stacks/test/stage-spec.ts). Under vitest the run's global setup
 * (packages/local/src/vitest/global-setup.ts) sets SYNTH_CACHE_ENV to a fresh temporary
 * folder, removed at the end of the run; without it (`pnpm synth`, `sst deploy`, the CLI,
 * a child process of another tree) nothing is cached. The first file that needs a stage
 * synthesizes it (with cdk-nag, whether asked or not: the aspects add only findings to the
 * assembly's metadata, never anything to a template) and leaves the templates, the cloud
 * assembly (staged bundles, image contexts, site zips) and the dashboard's build in the
 * folder; a file that asks while that synthesis runs, in another worker, waits for it (a
 * lock folder per key). `onAssembly` gets the kept assembly either way, so the first file
 * and the others see the same thing; it must only read it.
 *
 * The key, and what it covers:
 * - the tree: the path of its root and the content of every file git does not ignore
 *   (`git ls-files --cached --others --exclude-standard`: stacks/, sst.config.ts, every
 *   package's code including core, functions and the dashboard, package.json and the
 *   lockfile), plus the ignored inputs that shape a synthesis: `.env*` files (initProject
 *   loads them) and pnpm's record of what is installed (node_modules/.pnpm/lock.yaml).
 *   Change any source file (also uncommitted, also a new one) and the key changes. The
 *   root path keeps two checkouts apart even at the same commit: promote-check --base-ref
 *   compares a worktree with a tree, and must really bundle both.
 * - the stage and the explicit target account (SynthOptions.account);
 * - the environment the stacks read: every variable named LOCALSTAYS_*, SST_*, CDK_*, VITE_*,
 *   and NODE_ENV (stacks/stage.ts reads only LOCALSTAYS_* ids; synth-cache.test.ts checks
 *   that the stacks read no other variable). A test that stubs one (vi.stubEnv) gets a
 *   synthesis of its own. Not AWS_*: offline synthesis takes region and account from the
 *   stage's settings and never calls AWS, and test files set SDK variables (credentials for
 *   the local emulators, warnings off) that would only tell equal syntheses apart.
 * Not cached: a synthesis with `extend` (a function, not comparable), a failed one (the next
 * caller synthesizes again and fails by itself), and any outside a git checkout.
 * A miss that should have been a hit: compare the `<key>.inputs.json` files of the stage in
 * the run's folder (SST's transient `.sst.config.<time>.mjs` is left out of the tree for
 * that reason: it exists while any process synthesizes).
 */
export const SYNTH_CACHE_ENV = "LOCALSTAYS_SYNTH_CACHE";

/** Names of the environment variables that can shape a synthesis (see the key above). */
export const SYNTH_ENV = /^(LOCALSTAYS_|SST_|CDK_|VITE_)|^NODE_ENV$/;

/** The run's cache folder, when the run has one. */
export function synthCacheDir(): string | undefined {
  return process.env[SYNTH_CACHE_ENV] || undefined;
}

/** Lists the files of the tree at `root` that are not ignored, sorted (git's order). */
function treeFiles(root: string): string[] {
  const listed = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"],
    { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const ignoredInputs = [
    ...readdirSync(root).filter((name) => name.startsWith(".env")),
    path.join("node_modules", ".pnpm", "lock.yaml"),
  ];
  // SST's initProject compiles sst.config.ts into `.sst.config.<time>.mjs` beside it while a
  // synthesis loads it (and deletes it after): derived, and there only while some process
  // synthesizes, so it would give the same tree another key.
  const transient = /^\.sst\.config\.\d+\.mjs$/;
  const files = listed.split("\0").filter((file) => file && !transient.test(file));
  return [...files, ...ignoredInputs];
}

/** A content hash of the tree at `root` (see the key above). */
export function treeHash(root: string): string {
  const digest = createHash("sha256").update(`${path.resolve(root)}\0`);
  for (const file of treeFiles(root)) {
    digest.update(`${file}\0`);
    try {
      digest.update(readFileSync(path.join(root, file)));
    } catch (error) {
      // Listed by git but deleted in the working tree (or a folder: a submodule).
      digest.update(`<${(error as NodeJS.ErrnoException).code ?? "unreadable"}>`);
    }
    digest.update("\0");
  }
  return digest.digest("hex");
}

export interface SynthKeyInput {
  root: string;
  stage: string;
  account: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** What a key is the hash of (kept as `<key>.inputs.json` beside the entry, to explain a miss). */
export function synthKeyInputs({ root, stage, account, env = process.env }: SynthKeyInput) {
  const variables = Object.keys(env)
    .filter((name) => SYNTH_ENV.test(name))
    .sort()
    .map((name) => [name, env[name]]);
  return { tree: treeHash(root), stage, account: account ?? null, variables };
}

export function synthKey(input: SynthKeyInput): string {
  return keyOf(synthKeyInputs(input));
}

export function keyOf(inputs: ReturnType<typeof synthKeyInputs>): string {
  const digest = createHash("sha256").update(JSON.stringify(inputs)).digest("hex");
  // The stage in the name only helps a reader of the folder.
  return `${inputs.stage.replace(/[^A-Za-z0-9-]/g, "_")}-${digest.slice(0, 32)}`;
}

/** Keeps the inputs of `key` beside its entry (a reader comparing two keys of one stage). */
export function recordInputs(dir: string, key: string, inputs: object): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${key}.inputs.json`), `${JSON.stringify(inputs, null, 2)}\n`);
}

/** What a cache entry holds: the folders beside the serialized part of the result. */
export interface SynthEntry<T> {
  /** The kept cloud assembly. */
  assemblyDir: string;
  /** The kept build of the dashboard (Vite's dist/). */
  siteBuildDir: string;
  data: T;
}

const DATA = "result.json";
/** One line per request, `produced|shared <key> <pid>`: the run's summary (synth-cache-setup.ts). */
export const SYNTH_CACHE_LOG = "requests.log";

function record(dir: string, what: "produced" | "shared", key: string): void {
  appendFileSync(path.join(dir, SYNTH_CACHE_LOG), `${what} ${key} ${process.pid}\n`);
}

function readEntry<T>(entry: string): SynthEntry<T> {
  return {
    assemblyDir: path.join(entry, "assembly"),
    siteBuildDir: path.join(entry, "site"),
    data: JSON.parse(readFileSync(path.join(entry, DATA), "utf8")) as T,
  };
}

/** Moves (or copies, across file systems) `from` to `to`. */
export function keep(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    cpSync(from, to, { recursive: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's owner died (a killed worker): the lock is stale. */
function abandoned(lock: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
    return pid > 0 && !isRunning(pid);
  } catch {
    // Just created, its pid not written yet; or just removed.
    return false;
  }
}

/**
 * The entry `key` of the cache folder `dir`: read when it is there, else produced by
 * `produce(entryDir)` under a lock (which must write assembly/ and site/ into entryDir
 * and return the data), while callers in other processes wait for it.
 */
export async function sharedEntry<T>(
  dir: string,
  key: string,
  produce: (entryDir: string) => Promise<T>,
): Promise<SynthEntry<T>> {
  const entry = path.join(dir, key);
  const lock = path.join(dir, `${key}.lock`);
  mkdirSync(dir, { recursive: true });
  for (;;) {
    if (existsSync(path.join(entry, DATA))) {
      record(dir, "shared", key);
      return readEntry<T>(entry);
    }
    try {
      mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (abandoned(lock)) rmSync(lock, { recursive: true, force: true });
      else await sleep(250);
      continue;
    }
    try {
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      // Finished by another process between the check and the lock.
      if (existsSync(path.join(entry, DATA))) {
        record(dir, "shared", key);
        return readEntry<T>(entry);
      }
      rmSync(entry, { recursive: true, force: true });
      mkdirSync(entry);
      const data = await produce(entry);
      // Written last, by a rename: an entry with its data file is complete.
      const tmp = path.join(entry, `${DATA}.${process.pid}`);
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, path.join(entry, DATA));
      record(dir, "produced", key);
      return readEntry<T>(entry);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
