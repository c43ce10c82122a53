import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ValidationError, validateAction, validateWorkflow } from "@action-validator/core";
import { repoRoot } from "@localstays/local/paths";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PHOTO_PROCESSOR } from "../../functions/src/function-names.js";
import {
  type CommandSpec,
  checkPnpmCommand,
  cliCommands,
  findPnpmCommands,
  packageScripts,
} from "./pnpm-commands.js";
import {
  ACTIONS,
  ci,
  deployStage,
  gh,
  job,
  notifyAction,
  read,
  runIndex,
  runs,
  type Step,
  source,
  stepIndex,
  usesIndex,
  WORKFLOWS,
  type Workflow,
  workflows,
} from "./workflow-files.js";

/**
 * The GitHub Actions workflows, checked here because GitHub only finds their mistakes after a
 * push: the workflow schema (SchemaStore's, via action-validator), the supply-chain rules
 * (actions pinned to commit SHAs, no expression inlined in a script, Dependabot), every `pnpm`
 * command they run, and ci.yml. deploy-workflows.test.ts checks the deploy paths,
 * workflow-scripts.test.ts runs their scripts.
 */

/** action-validator nests the reason in `states` of a oneOf; one line per distinct reason. */
function describeErrors(errors: ValidationError[]): string[] {
  const lines = new Set<string>();
  const walk = (list: ValidationError[]) => {
    for (const error of list) {
      const where = "path" in error ? error.path : `line ${error.location?.line ?? "?"}`;
      if (error.detail) lines.add(`${where || "/"}: ${error.detail}`);
      for (const state of ("states" in error && error.states) || []) walk(state.errors);
      if (!error.detail && !("states" in error && error.states?.length)) {
        lines.add(`${where || "/"}: ${error.title}`);
      }
    }
  };
  walk(errors);
  return [...lines];
}

const all = Object.values(workflows);

/**
 * `uses:` lines that do not pin a third-party action to a full commit SHA with its version in
 * a trailing comment (`owner/repo@<40 hex> # v1.2.3`). Local actions and workflows (`./`) are
 * this repository's own. Read from the text, since YAML drops the comment.
 */
function unpinnedActions(text: string, file: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!uses || uses[1]?.startsWith("./")) return [];
    const pinned = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses[1] ?? "");
    const version = /^\s+#\s+v\d+(\.\d+)*\s*$/.test(uses[2] ?? "");
    return pinned && version ? [] : [`${file}:${i + 1}: ${line.trim()}`];
  });
}

/**
 * `run:` scripts that inline an expression: `${{ github.head_ref }}` (a branch name anyone who
 * can push chooses), an input or a step's output pasted into shell text is code injection.
 * Values reach scripts through `env:`.
 */
function inlineExpressions(steps: Step[], where: string): string[] {
  return steps.flatMap((s, i) =>
    s.run && /\$\{\{/.test(s.run) ? [`${where}.steps[${i}] (${s.id ?? s.name}): ${s.run}`] : [],
  );
}
const allSteps = (w: Workflow, file: string) =>
  Object.entries(w.jobs).flatMap(([name, j]) =>
    inlineExpressions(j.steps ?? [], `${file} jobs.${name}`),
  );

let commands: Map<string, CommandSpec>;
beforeAll(async () => {
  commands = await cliCommands();
});

describe("the workflow files", () => {
  it.each(WORKFLOWS)("%s is a valid GitHub workflow", (file) => {
    const result = validateWorkflow(source[file]);
    expect(result.actionType).toBe("workflow");
    expect(describeErrors(result.errors)).toEqual([]);
  });

  it.each(ACTIONS)("%s is a valid composite action", (file) => {
    const result = validateAction(source[file]);
    expect(result.actionType).toBe("action");
    expect(describeErrors(result.errors)).toEqual([]);
  });

  it("would catch a misspelt key or broken indentation", () => {
    const typo = source[".github/workflows/deploy-stage.yml"].replace(
      `    environment: ${gh("inputs.stage")}`,
      `    enviroment: ${gh("inputs.stage")}`,
    );
    expect(describeErrors(validateWorkflow(typo).errors)).toContain(
      "/jobs/deploy: Additional property 'enviroment' is not allowed",
    );
    const broken = source[".github/workflows/ci.yml"].replace("  check:\n", " check:\n");
    const [parseError] = validateWorkflow(broken).errors;
    expect(parseError).toMatchObject({ code: "parse_error" });
  });

  it("use no long-lived AWS keys", () => {
    for (const file of WORKFLOWS) {
      expect(source[file]).not.toMatch(/aws-access-key-id|aws-secret-access-key/i);
      expect(source[file]).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    }
  });

  it("pin every third-party action to a full commit SHA, with its version in a comment", () => {
    const files = [...WORKFLOWS, ...ACTIONS];
    expect(files.flatMap((file) => unpinnedActions(source[file], file))).toEqual([]);
    // Not a vacuous pass: the third-party actions are all found.
    const actions = new Set(
      files.flatMap((file) =>
        [...source[file].matchAll(/uses:\s*([\w-]+\/[\w-]+)@/g)].map((m) => m[1]),
      ),
    );
    expect([...actions].sort()).toEqual([
      "actions/checkout",
      "actions/setup-java",
      "actions/setup-node",
      "actions/upload-artifact",
      "aws-actions/configure-aws-credentials",
      "docker/setup-buildx-action",
    ]);
  });

  it("would catch an action by tag, by a short SHA, or without its version", () => {
    const sha = "11d5960a326750d5838078e36cf38b85af677262";
    const text = [
      "      - uses: actions/checkout@v4",
      "      - uses: actions/checkout@11d5960 # v4.4.0",
      `        uses: actions/checkout@${sha}`,
      `      - uses: actions/checkout@${sha} # v4.4.0`,
      "      - uses: ./.github/actions/notify-failure",
    ].join("\n");
    expect(unpinnedActions(text, "x.yml").map((p) => p.split(":")[1])).toEqual(["1", "2", "3"]);
  });

  it("pass expressions to scripts through env, never inline", () => {
    const inline = [
      ...Object.entries(workflows).flatMap(([file, w]) => allSteps(w, file)),
      ...inlineExpressions(notifyAction.runs.steps ?? [], ACTIONS[0]),
    ];
    expect(inline).toEqual([]);
  });

  it("would catch a github.* expression inlined in a script", () => {
    const injected = source[".github/workflows/ci.yml"].replace(
      'run: pnpm -s localstays promote-check --base-ref "origin/$BASE_REF"',
      `run: pnpm -s localstays promote-check --base-ref origin/${gh("github.base_ref")}`,
    );
    expect(injected).not.toBe(source[".github/workflows/ci.yml"]);
    expect(allSteps(parse(injected) as Workflow, "ci.yml")).toHaveLength(1);
  });

  it("set up every job that runs pnpm the way FINDINGS.md says works: Node 20, pnpm 12.21.0 from npm, no telemetry", () => {
    for (const w of [ci, deployStage]) {
      expect(w.env).toMatchObject({ SST_TELEMETRY_DISABLED: "1", CI: "true" });
      for (const j of Object.values(w.jobs)) {
        const firstPnpm = stepIndex(j, (s) => /^pnpm /m.test(s.run ?? ""));
        if (firstPnpm < 0) continue;
        const node = j.steps?.find((s) => s.uses?.startsWith("actions/setup-node@"));
        expect(node?.with).toMatchObject({ "node-version": "20" });
        const install = runIndex(j, "npm i -g pnpm@12.21.0");
        expect(install).toBeGreaterThan(-1);
        expect(install).toBeLessThan(firstPnpm);
        expect(runs(j).join("\n")).not.toMatch(/corepack/);
      }
    }
  });

  it("only name jobs that exist in needs", () => {
    for (const w of all) {
      const names = Object.keys(w.jobs);
      for (const j of Object.values(w.jobs)) {
        for (const need of [j.needs ?? []].flat()) expect(names).toContain(need);
      }
    }
  });

  it("call only workflows and actions of this repository that exist", () => {
    const local = all.flatMap((w) =>
      Object.values(w.jobs).flatMap((j) => [
        ...(j.uses ? [j.uses] : []),
        ...(j.steps ?? []).flatMap((s) => (s.uses?.startsWith("./") ? [s.uses] : [])),
      ]),
    );
    expect(local.length).toBeGreaterThan(5);
    for (const uses of local) {
      // Steps run `./.pipeline/...`: this repository checked out into .pipeline.
      const path = uses.replace(/^\.\/\.pipeline\//, "./");
      expect(existsSync(join(repoRoot, path)), uses).toBe(true);
    }
  });

  it("run only pnpm scripts and localstays commands and options that exist", () => {
    const scripts = packageScripts();
    const found = Object.entries(workflows).flatMap(([file, w]) =>
      Object.entries(w.jobs).flatMap(([name, j]) =>
        (j.steps ?? []).flatMap((s, i) =>
          s.run ? findPnpmCommands(s.run, `${file} jobs.${name}.steps[${i}]`) : [],
        ),
      ),
    );
    // Not a vacuous pass: the deploys, smoke tests and promote checks are among them.
    const cli = found.filter((f) => /^(smoke|-s localstays) /.test(f.args.join(" ")));
    expect(cli.length).toBeGreaterThanOrEqual(5);
    const problems = found.flatMap((f) => checkPnpmCommand(f, scripts, commands));
    expect(problems).toEqual([]);
  });

  it("would catch a misspelt command or option", () => {
    const text = [
      "pnpm -s localstays smok --stage dev1",
      'pnpm smoke --stag prod >> "$GITHUB_STEP_SUMMARY"',
      "pnpm deploy-everything",
    ].join("\n");
    const problems = findPnpmCommands(text, "broken.yml").flatMap((found) =>
      checkPnpmCommand(found, packageScripts(), commands),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^broken.yml:1: .*localstays smok: no such command/);
    expect(problems[1]).toMatch(/^broken.yml:2: .*localstays smoke: no --stag option/);
    expect(problems[2]).toMatch(/^broken.yml:3: .*no script "deploy-everything"/);
  });

  it("never run a migration", () => {
    const allRuns = all.flatMap((w) => Object.values(w.jobs).flatMap(runs)).join("\n");
    expect(allRuns).not.toMatch(/\bmigrate\b/);
    expect(source[".github/workflows/deploy-stage.yml"]).toMatch(/Migrations are NOT run here/);
    expect(source[".github/workflows/rollback.yml"]).toMatch(/Migrations are NOT reverted here/);
  });
});

describe(".github/dependabot.yml", () => {
  const config = parse(read(".github/dependabot.yml")) as {
    version: number;
    updates: { "package-ecosystem": string; directory?: string; directories?: string[] }[];
  };
  const directories = (ecosystem: string) =>
    config.updates
      .filter((u) => u["package-ecosystem"] === ecosystem)
      .flatMap((u) => [...(u.directory ? [u.directory] : []), ...(u.directories ?? [])]);
  const file = (dir: string, name: string) => existsSync(join(repoRoot, dir, name));

  it("updates the pinned actions, the npm lockfiles and the processor's base image", () => {
    expect(config.version).toBe(2);
    expect(directories("github-actions")).toEqual(["/"]);
    const image = `/${PHOTO_PROCESSOR.buildContext}`;
    expect(directories("npm").sort()).toEqual(["/", image]);
    expect(directories("docker")).toEqual([image]);
    for (const dir of directories("npm")) expect(file(dir, "package.json"), dir).toBe(true);
    expect(file(image, "Dockerfile")).toBe(true);
  });
});

describe("ci.yml", () => {
  it("runs on pull requests and pushes to main, and checks a given commit when called", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
    expect(ci.on.push).toEqual({ branches: ["main"] });
    expect(ci.on.workflow_call?.inputs?.ref).toMatchObject({ type: "string", default: "" });
    expect(job(ci, "check").steps?.[0]).toMatchObject({
      uses: expect.stringMatching(/^actions\/checkout@/),
      with: { ref: gh("inputs.ref") },
    });
  });

  it("checks exactly what .ci/run runs, with its environment", () => {
    const scripts = packageScripts();
    const ciRun = read(".ci/run")
      .split("\n")
      .filter((line) => /^(npm|pnpm) /.test(line));
    const local = ciRun.flatMap((line) => expand(line, scripts));
    const remote = runs(job(ci, "check")).flatMap((run) => expand(run, scripts));
    expect(remote).toEqual(local);
    expect(local).toContain("vitest run");
    for (const [, name, value] of read(".ci/run").matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) {
      const expected = name === "CI" ? "true" : value;
      expect(ci.env?.[name ?? ""], name).toBe(expected);
    }
    // DynamoDB Local, used by the tests, is Java.
    expect(usesIndex(job(ci, "check"), "actions/setup-java")).toBeGreaterThan(-1);
  });

  it("reports promote-check to dev1 on the summary of every pull request", () => {
    const promote = job(ci, "promote-check");
    expect(promote.if).toBe("github.event_name == 'pull_request'");
    const index = runIndex(promote, "pnpm -s localstays promote-check");
    expect(promote.steps?.[index]).toMatchObject({
      env: { BASE_REF: gh("github.base_ref") },
      run: 'pnpm -s localstays promote-check --base-ref "origin/$BASE_REF" --to dev1 --format markdown >> "$GITHUB_STEP_SUMMARY"',
    });
    expect(promote.steps?.[0]).toMatchObject({ with: { "fetch-depth": 0 } });
  });
});

/** Commands joined by `&&`, with `pnpm <script>` replaced by the script, recursively. */
function expand(command: string, scripts: Record<string, string>): string[] {
  return command
    .split("&&")
    .map((part) => part.trim())
    .flatMap((part) => {
      const script = /^pnpm (\S+)$/.exec(part)?.[1];
      const body = script ? scripts[script] : undefined;
      return body ? expand(body, scripts) : [part];
    });
}
