import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ValidationError, validateAction, validateWorkflow } from "@action-validator/core";
import { repoRoot } from "@localstays/local/paths";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { namedStages, stageSettings } from "../../../stacks/stage.js";
import { IMAGE_PROCESSOR } from "../../functions/src/function-names.js";
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
  deploy,
  deployStage,
  gh,
  type Job,
  job,
  notifyAction,
  read,
  rollback,
  type Step,
  source,
  step,
  WORKFLOWS,
  type Workflow,
  workflows,
} from "./workflow-files.js";

/**
 * The GitHub Actions workflows, checked here because GitHub only finds their mistakes after a
 * push: the workflow schema (SchemaStore's, via action-validator), the supply-chain rules
 * (actions pinned to commit SHAs, no expression inlined in a script, Dependabot), the deploy
 * rules (OIDC only, one deploy per stage, gates, prod behind its environment, regions from
 * stacks/stage.ts, a Slack message on every failure) and every `pnpm` command they run.
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
const runs = (j: Job) => (j.steps ?? []).flatMap((s) => (s.run ? [s.run] : []));
const stepIndex = (j: Job, match: (s: Step) => boolean) => (j.steps ?? []).findIndex(match);
const runIndex = (j: Job, command: string) =>
  stepIndex(j, (s) => s.run?.includes(command) ?? false);
const usesIndex = (j: Job, action: string) =>
  stepIndex(j, (s) => s.uses?.startsWith(`${action}@`) ?? false);

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
    const image = `/${IMAGE_PROCESSOR.buildContext}`;
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

const DEPLOYS = [
  { stage: "dev1", trigger: "github.ref == 'refs/heads/dev1'" },
  { stage: "staging", trigger: "github.ref == 'refs/heads/staging'" },
  { stage: "prod", trigger: "startsWith(github.ref, 'refs/tags/v')" },
] as const;
const STAGE_WORKFLOW = "./.github/workflows/deploy-stage.yml";
const ID_TOKEN = { contents: "read", "id-token": "write" };

/** `fromJSON('{...}')[inputs.stage]` in an expression: the map it reads. */
function stageMap(expression: unknown): Record<string, string> {
  const json = /^\$\{\{ fromJSON\('(.*)'\)\[inputs\.stage\] \}\}$/.exec(String(expression))?.[1];
  if (!json) throw new Error(`not a per-stage map: ${String(expression)}`);
  return JSON.parse(json) as Record<string, string>;
}

describe("deploy.yml", () => {
  it("deploys dev1 and staging from their branches and prod from v* tags", () => {
    expect(deploy.on).toEqual({ push: { branches: ["dev1", "staging"], tags: ["v*"] } });
    expect(Object.keys(deploy.jobs).sort()).toEqual(["dev1", "prod", "staging"]);
    expect(namedStages).toEqual(DEPLOYS.map((d) => d.stage));
  });

  it.each(DEPLOYS)(
    "deploys $stage's pushed commit through deploy-stage.yml",
    ({ stage, trigger }) => {
      const caller = job(deploy, stage);
      expect(caller.if).toBe(trigger);
      expect(caller.uses).toBe(STAGE_WORKFLOW);
      expect(caller.with).toMatchObject({ stage, ref: gh("github.sha") });
      // The environment's secrets (smoke user, Slack webhook) reach the called jobs.
      expect(caller.secrets).toBe("inherit");
      expect(caller.permissions).toEqual(ID_TOKEN);
    },
  );

  it("compares a staging push with what staging ran before it", () => {
    expect(job(deploy, "staging").with?.["base-ref"]).toBe(
      gh(
        "github.event.before != '0000000000000000000000000000000000000000' && github.event.before || ''",
      ),
    );
    expect(job(deploy, "prod").with?.["base-ref"]).toBeUndefined();
  });
});

describe("deploy-stage.yml", () => {
  const checks = job(deployStage, "checks");
  const gate = job(deployStage, "gate");
  const stageDeploy = job(deployStage, "deploy");

  it("is called with a stage, the commit to deploy and what the stage ran before", () => {
    expect(Object.keys(deployStage.on)).toEqual(["workflow_call"]);
    const inputs = deployStage.on.workflow_call?.inputs ?? {};
    expect(Object.keys(inputs)).toEqual(["stage", "ref", "base-ref"]);
    expect(deployStage.env).toMatchObject({
      LOCALSTAYS_PROD_ACCOUNT_ID: gh("vars.LOCALSTAYS_PROD_ACCOUNT_ID"),
      STAGE: gh("inputs.stage"),
      DEPLOY_REF: gh("inputs.ref"),
    });
  });

  it("runs ci.yml's checks on the commit it deploys, before the gate and the deploy", () => {
    expect(checks).toMatchObject({
      uses: "./.github/workflows/ci.yml",
      with: { ref: gh("inputs.ref") },
    });
    expect(gate.needs).toBe("checks");
    expect(stageDeploy.needs).toEqual(["checks", "gate"]);
  });

  it("gates staging and prod (not dev1) before any approval, without AWS access", () => {
    expect(gate.if).toBe("inputs.stage != 'dev1'");
    // A skipped gate (dev1) lets the deploy run; a failed one stops it.
    expect(stageDeploy.if).toBe(gh("!failure() && !cancelled()"));
    expect(gate.environment).toBeUndefined();
    expect(gate.permissions).toBeUndefined();
    expect(deployStage.permissions).toEqual({ contents: "read" });
  });

  it("refuses a commit that the stage before has not run: staging's must be on dev1, prod's on staging", () => {
    const upstream = stageMap(gate.env?.UPSTREAM);
    const path = Object.fromEntries(namedStages.slice(1).map((s, i) => [s, namedStages[i]]));
    expect(upstream).toEqual(path);
    expect(upstream).toEqual({ staging: "dev1", prod: "staging" });
    const checkout = step(gate.steps, "checkout");
    expect(checkout.with).toEqual({ ref: gh("inputs.ref"), "fetch-depth": 0 });
    const ancestry = step(gate.steps, "ancestry");
    expect(ancestry.run).toMatch(/^git merge-base --is-ancestor HEAD "origin\/\$UPSTREAM" \|\|/);
    // Before anything is installed or reported.
    const index = stepIndex(gate, (s) => s === ancestry);
    expect(index).toBeLessThan(stepIndex(gate, (s) => s.id === "install"));
  });

  it("reports promote-check on the stage's settings and on what the deploy changes", () => {
    expect(step(gate.steps, "promote-settings").run).toBe(
      'pnpm -s localstays promote-check --from "$UPSTREAM" --to "$STAGE" --allow-iam --format markdown >> "$GITHUB_STEP_SUMMARY"',
    );
    const changes = step(gate.steps, "promote-changes");
    expect(gate.env?.BASE_REF).toBe(gh("inputs.base-ref"));
    expect(changes.run).toContain(
      'pnpm -s localstays promote-check --base-ref "$base" --to "$STAGE" --allow-iam --format markdown >> "$GITHUB_STEP_SUMMARY"',
    );
    // Prod without a base: the release before this one.
    expect(changes.run).toContain("git describe --tags --abbrev=0 --match 'v*' HEAD^");
  });

  it("deploys with OIDC into the stage's region, alone, behind the stage's environment, then smoke-tests", () => {
    expect(stageDeploy.environment).toBe(gh("inputs.stage"));
    expect(stageDeploy.concurrency).toEqual({
      group: `deploy-${gh("inputs.stage")}`,
      "cancel-in-progress": false,
    });
    expect(stageDeploy.permissions).toEqual(ID_TOKEN);
    expect(step(stageDeploy.steps, "checkout").with).toEqual({ ref: gh("inputs.ref") });

    const aws = step(stageDeploy.steps, "aws").with ?? {};
    expect(aws["role-to-assume"]).toBe(gh("vars.AWS_DEPLOY_ROLE_ARN"));
    const regions = stageMap(aws["aws-region"]);
    expect(Object.keys(regions)).toEqual(namedStages);
    for (const stage of namedStages)
      expect(regions[stage], stage).toBe(stageSettings(stage, {}).region);

    const buildx = usesIndex(stageDeploy, "docker/setup-buildx-action");
    const credentials = usesIndex(stageDeploy, "aws-actions/configure-aws-credentials");
    const deployed = runIndex(stageDeploy, 'pnpm sst deploy --stage "$STAGE"');
    const smoke = runIndex(stageDeploy, 'pnpm smoke --stage "$STAGE"');
    expect(Math.min(buildx, credentials)).toBeGreaterThan(-1);
    expect(Math.max(buildx, credentials)).toBeLessThan(deployed);
    expect(deployed).toBeLessThan(smoke);
    expect(stageDeploy.steps?.[smoke]?.env).toEqual({
      SMOKE_USERNAME: gh("secrets.SMOKE_USERNAME"),
      SMOKE_PASSWORD: gh("secrets.SMOKE_PASSWORD"),
    });
  });

  it("grants OIDC tokens only to the deploy job, and only through its callers", () => {
    const withToken = (w: Workflow) =>
      Object.entries(w.jobs)
        .filter(([, j]) => j.permissions?.["id-token"] === "write")
        .map(([name]) => name);
    expect(withToken(deployStage)).toEqual(["deploy"]);
    expect(withToken(deploy).every((name) => job(deploy, name).uses === STAGE_WORKFLOW)).toBe(true);
    expect(withToken(rollback)).toEqual(["rollback"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(Object.values(ci.jobs).every((j) => !j.permissions)).toBe(true);
  });
});

/** The failure notification as a step: the repository's action, only on failure. */
function notifies(j: Job, action: string): boolean {
  const last = j.steps?.at(-1);
  return (
    last?.uses === action &&
    (last.if === "failure()" || j.if === "failure()") &&
    last.with?.["webhook-url"] === gh("secrets.SLACK_WEBHOOK_URL") &&
    last.with?.stage === gh("inputs.stage")
  );
}
const PIPELINE_NOTIFY = "./.pipeline/.github/actions/notify-failure";

describe("the failure notification to Slack", () => {
  it("ends every job of deploy-stage.yml, and failed checks have their own job", () => {
    for (const [name, j] of Object.entries(deployStage.jobs)) {
      if (name === "checks") continue;
      expect(notifies(j, PIPELINE_NOTIFY), name).toBe(true);
    }
    const checksFailed = job(deployStage, "checks-failed");
    expect(checksFailed).toMatchObject({ needs: "checks", if: "failure()" });
    expect(checksFailed.steps?.at(-1)?.with?.failed).toMatch(/^Checks/);
  });

  it("names the deploy's commit and its failed step: every step has an id, and the steps go along", () => {
    for (const name of ["gate", "deploy"]) {
      const j = job(deployStage, name);
      expect(
        (j.steps ?? []).filter((s) => !s.id),
        name,
      ).toEqual([]);
      expect(j.steps?.at(-1)?.with).toMatchObject({
        ref: gh("inputs.ref"),
        steps: gh("toJSON(steps)"),
      });
    }
  });

  it("comes from this workflow's commit, which a rolled-back ref may predate", () => {
    for (const name of ["checks-failed", "gate", "deploy"]) {
      const pipeline = step(job(deployStage, name).steps, "pipeline");
      expect(pipeline.uses, name).toMatch(/^actions\/checkout@/);
      expect(pipeline.with, name).toEqual({
        path: ".pipeline",
        "sparse-checkout": ".github/actions",
        "persist-credentials": false,
      });
    }
  });

  it("ends the rollback's own job too", () => {
    expect(notifies(job(rollback, "resolve"), "./.github/actions/notify-failure")).toBe(true);
  });

  it("takes the webhook and everything else into its script through env", () => {
    const [post] = notifyAction.runs.steps ?? [];
    expect(notifyAction.runs.using).toBe("composite");
    expect(post?.env).toEqual({
      SLACK_WEBHOOK_URL: gh("inputs.webhook-url"),
      STAGE: gh("inputs.stage"),
      DEPLOY_REF: gh("inputs.ref"),
      STEPS_JSON: gh("inputs.steps"),
      FAILED: gh("inputs.failed"),
    });
  });
});

describe("rollback.yml", () => {
  it("is started by hand with a stage and an optional ref", () => {
    expect(Object.keys(rollback.on)).toEqual(["workflow_dispatch"]);
    const inputs = rollback.on.workflow_dispatch?.inputs ?? {};
    expect(inputs.stage).toMatchObject({ type: "choice", options: namedStages, required: true });
    expect(inputs.ref).toMatchObject({ type: "string", required: false, default: "" });
  });

  it("deploys the resolved commit through deploy-stage.yml, like a push", () => {
    const resolve = job(rollback, "resolve");
    expect(resolve.outputs).toEqual({
      commit: gh("steps.resolve.outputs.commit"),
      current: gh("steps.resolve.outputs.current"),
    });
    expect(step(resolve.steps, "resolve").env).toEqual({
      STAGE: gh("inputs.stage"),
      REF: gh("inputs.ref"),
    });
    expect(job(rollback, "rollback")).toMatchObject({
      needs: "resolve",
      uses: STAGE_WORKFLOW,
      with: {
        stage: gh("inputs.stage"),
        ref: gh("needs.resolve.outputs.commit"),
        "base-ref": gh("needs.resolve.outputs.current"),
      },
      secrets: "inherit",
      permissions: ID_TOKEN,
    });
  });
});
