import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { beforeAll, describe, expect, it } from "vitest";
import { MATRIX, ROW_ORDER } from "../src/promote/matrix.js";
import {
  type CommandSpec,
  checkPnpmCommand,
  cliCommands,
  type FoundCommand,
  packageScripts,
  shellBlockCommands,
} from "./pnpm-commands.js";

/**
 * docs/operations.md may only show commands that CI or a test actually runs: its shell blocks
 * hold `pnpm` and `git` commands only, and every pnpm script, `localstays` command and option
 * in them exists. A missing one is reported with its line.
 */
const DOC = "docs/operations.md";
const markdown = readFileSync(join(repoRoot, DOC), "utf8");
const documentedCommands = (): FoundCommand[] => shellBlockCommands(markdown, DOC);

let commands: Map<string, CommandSpec>;
beforeAll(async () => {
  commands = await cliCommands();
});

describe(DOC, () => {
  const documented = documentedCommands();

  it("shows only pnpm and git commands", () => {
    expect(documented.length).toBeGreaterThan(20);
    const others = documented
      .filter((found) => found.program !== "pnpm" && found.program !== "git")
      .map((found) => `${found.where}: \`${found.text}\``);
    expect(others).toEqual([]);
  });

  it("names only pnpm scripts, localstays commands and options that exist", () => {
    const scripts = packageScripts();
    const pnpm = documented.filter((found) => found.program === "pnpm");
    // The doc's own subjects, so the check cannot pass by finding nothing.
    const used = new Set(pnpm.map((found) => found.args.filter((a) => a !== "-s")[0]));
    expect([...used].sort()).toEqual(["localstays", "smoke", "sst"]);
    const problems = pnpm.flatMap((found) => checkPnpmCommand(found, scripts, commands));
    expect(problems).toEqual([]);
  });

  it("has a rollback section for every row of the seed's decision matrix, with its risk", () => {
    const rollback = markdown.slice(markdown.indexOf("\n## Roll back\n"));
    const seedRows = ROW_ORDER.map((id) => MATRIX[id]).filter((row) => row.seed);
    expect(seedRows).toHaveLength(10);
    for (const row of seedRows) {
      expect(rollback, row.title).toContain(`\n### ${row.title}\n\nRisk: ${row.risk}.`);
    }
  });

  it("points every row's rollback to rollback.yml, which reverts no migration", () => {
    const end = markdown.indexOf("\n## Smoke tests\n");
    const rollback = markdown.slice(markdown.indexOf("\n## Roll back\n"), end);
    const [intro = "", ...sections] = rollback.split("\n### ");
    expect(intro).toContain("**Migrations are not reverted by `rollback.yml`**");
    const titles = sections.map((section) => section.split("\n")[0]);
    for (const row of ROW_ORDER.map((id) => MATRIX[id]).filter((r) => r.seed)) {
      const section = sections[titles.indexOf(row.title)] ?? "";
      expect(section, row.title).toContain("`rollback.yml`");
    }
  });
});
