import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dataPaths, prepareDataDir } from "../src/paths.js";

const root = mkdtempSync(join(tmpdir(), "localstays-paths-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the data directory", () => {
  it("is wiped by --fresh when the local stack created it", () => {
    const dir = join(root, "ours");
    prepareDataDir(dir, false);
    writeFileSync(join(dir, "outputs.json"), "{}");
    prepareDataDir(dir, true);
    expect(existsSync(join(dir, "outputs.json"))).toBe(false);
    expect(existsSync(dataPaths(dir).marker)).toBe(true);
  });

  it("is never wiped when something else created it (a mistyped --data-dir)", () => {
    const dir = join(root, "theirs");
    mkdirSync(dir);
    writeFileSync(join(dir, "thesis.tex"), "precious");
    expect(() => prepareDataDir(dir, true)).toThrow(/Refusing to wipe/);
    expect(existsSync(join(dir, "thesis.tex"))).toBe(true);
  });
});
