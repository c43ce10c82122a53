import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { SYNTH_ENV, sharedEntry, synthKey } from "../synth-cache.js";

/** The repository (not stacks/synth.ts's ROOT: that import would load SST and CDK). */
const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * The shared synthesis of a test run (stacks/synth-cache.ts) may only serve a synthesis
 * when nothing that shapes it has changed: each input of the key changes it, and the
 * stacks read no environment variable outside the key.
 */
const scratch = mkdtempSync(path.join(tmpdir(), "localstays-synth-cache-test-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function gitTree(name: string): string {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, "stacks"), { recursive: true });
  writeFileSync(path.join(root, ".gitignore"), "node_modules/\n.build/\n.env*\n");
  writeFileSync(path.join(root, "stacks", "Data.ts"), "export const table = 1;\n");
  writeFileSync(path.join(root, "sst.config.ts"), "export default {};\n");
  execFileSync("git", ["init", "-q"], { cwd: root });
  execFileSync("git", ["add", "."], { cwd: root });
  return root;
}

describe("the synthesis cache key", () => {
  let root: string;
  let before: string;
  const env = { LOCALSTAYS_PROD_ACCOUNT_ID: "210987654321", HOME: "/root" };
  const key = (over: Partial<Parameters<typeof synthKey>[0]> = {}) =>
    synthKey({ root, stage: "dev1", account: undefined, env, ...over });

  beforeEach(() => {
    root = gitTree(`tree-${Math.random().toString(36).slice(2)}`);
    before = key();
  });

  it("is the same for the same tree, stage, account and environment", () => {
    expect(key()).toBe(before);
    expect(before).toMatch(/^dev1-[0-9a-f]{32}$/);
  });

  it("changes with a stack's source, committed or not, and with a new file", () => {
    writeFileSync(path.join(root, "stacks", "Data.ts"), "export const table = 2;\n");
    const edited = key();
    expect(edited).not.toBe(before);
    writeFileSync(path.join(root, "stacks", "Api.ts"), "export const api = 1;\n");
    expect(key()).not.toBe(edited);
  });

  it("changes with a .env file and with the installed dependencies, not with other ignored or transient files", () => {
    mkdirSync(path.join(root, ".build"));
    writeFileSync(path.join(root, ".build", "out.json"), "{}");
    // SST's compiled config, there while another process synthesizes.
    writeFileSync(path.join(root, ".sst.config.1796227627413.mjs"), "export default {};\n");
    expect(key()).toBe(before);
    writeFileSync(path.join(root, ".env"), "LOCALSTAYS_DEV_ACCOUNT_ID=111111111111\n");
    const withEnvFile = key();
    expect(withEnvFile).not.toBe(before);
    mkdirSync(path.join(root, "node_modules", ".pnpm"), { recursive: true });
    writeFileSync(path.join(root, "node_modules", ".pnpm", "lock.yaml"), "packages: {}\n");
    expect(key()).not.toBe(withEnvFile);
  });

  it("changes with the stage, the account and the variables the stacks read, not with others", () => {
    expect(key({ stage: "prod" })).not.toBe(before);
    expect(key({ account: "111111111111" })).not.toBe(before);
    expect(key({ env: { ...env, LOCALSTAYS_PROD_ACCOUNT_ID: "000000000000" } })).not.toBe(before);
    expect(key({ env: { ...env, SST_BUILD_CONCURRENCY: "1" } })).not.toBe(before);
    expect(key({ env: { ...env, HOME: "/home/someone" } })).toBe(before);
    // Set by test files for the SDK (emulator credentials, warnings off); never read by synthesis.
    expect(key({ env: { ...env, AWS_ACCESS_KEY_ID: "S3RVER", AWS_REGION: "us-east-1" } })).toBe(
      before,
    );
  });

  it("keeps two checkouts of the same content apart (promote-check --base-ref bundles both)", () => {
    const other = gitTree("same-content");
    const again = gitTree("same-content-elsewhere");
    expect(synthKey({ root: other, stage: "dev1", account: undefined, env })).not.toBe(
      synthKey({ root: again, stage: "dev1", account: undefined, env }),
    );
  });
});

describe("the environment the stacks read", () => {
  /** Every variable name the app's infra code mentions (stacks/, sst.config.ts). */
  function variablesMentioned(): string[] {
    const files = [
      "sst.config.ts",
      ...readdirSync(path.join(ROOT, "stacks"))
        .filter((name) => name.endsWith(".ts"))
        .map((name) => path.join("stacks", name)),
    ];
    const names = new Set<string>();
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const match of text.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        names.add(match[1] as string);
      }
      for (const match of text.matchAll(/process\.env\[\s*["'`]([^"'`]+)["'`]\s*\]/g)) {
        names.add(match[1] as string);
      }
      // stacks/stage.ts reads its variables by name from an `env` record.
      for (const match of text.matchAll(/["'`](LOCALSTAYS_[A-Z_]*)/g))
        names.add(match[1] as string);
    }
    return [...names].sort();
  }

  it("is all in the synthesis cache key (but two that shape no template)", () => {
    const mentioned = variablesMentioned();
    expect(mentioned).toContain("LOCALSTAYS_PROD_ACCOUNT_ID");
    // PATH: stacks/synth.ts only prepends the docker stand-in's folder, the same in a run.
    // The SDK's notice switch: synth-cli.ts silences aws-sdk v2's end-of-support message.
    expect(mentioned.filter((name) => !SYNTH_ENV.test(name))).toEqual([
      "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE",
      "PATH",
    ]);
  });
});

describe("a shared entry", () => {
  const produceInto = (value: string) => async (entryDir: string) => {
    mkdirSync(path.join(entryDir, "assembly"));
    writeFileSync(path.join(entryDir, "assembly", "manifest.json"), value);
    mkdirSync(path.join(entryDir, "site"));
    return { value };
  };

  it("is produced once for callers that ask at the same time, and read by all", async () => {
    const dir = path.join(scratch, "concurrent");
    let produced = 0;
    const produce = async (entryDir: string) => {
      produced += 1;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return produceInto("first")(entryDir);
    };
    const entries = await Promise.all([
      sharedEntry(dir, "k", produce),
      sharedEntry(dir, "k", produce),
      sharedEntry(dir, "k", produce),
    ]);
    expect(produced).toBe(1);
    const log = readFileSync(path.join(dir, "requests.log"), "utf8").trim().split("\n");
    expect(log.map((line) => line.split(" ").slice(0, 2).join(" ")).sort()).toEqual([
      "produced k",
      "shared k",
      "shared k",
    ]);
    for (const entry of entries) {
      expect(entry.data).toEqual({ value: "first" });
      expect(readFileSync(path.join(entry.assemblyDir, "manifest.json"), "utf8")).toBe("first");
    }
  });

  it("is not kept when producing it fails: the next caller produces it again", async () => {
    const dir = path.join(scratch, "failing");
    await expect(
      sharedEntry(dir, "k", async () => {
        throw new Error("synthesis failed");
      }),
    ).rejects.toThrow("synthesis failed");
    const entry = await sharedEntry(dir, "k", produceInto("second"));
    expect(entry.data).toEqual({ value: "second" });
    expect(readdirSync(dir).sort()).toEqual(["k", "requests.log"]);
  });

  it("takes over the lock of a process that died while producing it", async () => {
    const dir = path.join(scratch, "abandoned");
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid as number;
    await new Promise((resolve) => child.once("exit", resolve));
    mkdirSync(path.join(dir, "k.lock"), { recursive: true });
    writeFileSync(path.join(dir, "k.lock", "pid"), String(pid));
    const entry = await sharedEntry(dir, "k", produceInto("taken over"));
    expect(entry.data).toEqual({ value: "taken over" });
  });
});
