import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SYNTH_CACHE_ENV, SYNTH_CACHE_LOG } from "../synth-cache.js";

/**
 * Vitest global setup: one synthesis cache per test run (stacks/synth-cache.ts), a fresh
 * temporary folder, so nothing carries over from an earlier run or another checkout. The
 * workers inherit the variable; the folder goes when the run ends, after a line saying
 * which syntheses were produced and which shared.
 */
export default function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "localstays-synth-cache-"));
  process.env[SYNTH_CACHE_ENV] = dir;
  return () => {
    // How much the run shared: a synthesis produced for every key, shared by the rest.
    const log = path.join(dir, SYNTH_CACHE_LOG);
    const lines = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
    if (lines.length > 0) {
      const count = (what: string) => lines.filter((line) => line.startsWith(what)).length;
      console.log(
        `Synthesis cache: ${count("produced ")} produced, ${count("shared ")} shared ` +
          `(${lines.map((line) => line.split(" ").slice(0, 2).join(" ")).join(", ")})`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
