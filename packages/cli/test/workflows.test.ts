import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ValidationError, validateWorkflow } from "@action-validator/core";
import { repoRoot } from "@localstays/local/paths";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { stageSettings } from "../../../stacks/stage.js";
import {
  type CommandSpec,
  checkPnpmCommand,
  cliCommands,
  findPnpmCommands,
  packageScripts,
} from "./pnpm-commands.js";

/**
 * The GitHub Actions workflows, checked here because GitHub only finds their mistakes after a
 * push: the workflow schema (SchemaStore's, via action-validator), the deploy rules (OIDC only,
 * one deploy per stage, prod behind its environment, regions from stacks/stage.ts) and every
 * `pnpm` command they run.
 */
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress": boolean | string };
  permissions?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILES = [".github/workflows/ci.yml", ".github/workflows/deploy.yml"] as const;
const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");
const source = Object.fromEntries(FILES.map((file) => [file, read(file)])) as Record<
  (typeof FILES)[number],
  string
>;
const ci = parse(source[".github/workflows/ci.yml"]) as Workflow;
const deploy = parse(source[".github/workflows/deploy.yml"]) as Workflow;

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

/** `${{ <expression> }}`, written without tripping the template-string lint. */
const gh = (expression: string) => `\${{ ${expression} }}`;
const runs = (job: Job) => (job.steps ?? []).flatMap((step) => (step.run ? [step.run] : []));
const stepIndex = (job: Job, match: (step: Step) => boolean) => (job.steps ?? []).findIndex(match);
const runIndex = (job: Job, command: string) =>
  stepIndex(job, (step) => step.run?.includes(command) ?? false);

let commands: Map<string, CommandSpec>;
beforeAll(async () => {
  commands = await cliCommands();
});

describe("the workflow files", () => {
  it.each(FILES)("%s is a valid GitHub workflow", (file) => {
    const result = validateWorkflow(source[file]);
    expect(result.actionType).toBe("workflow");
    expect(describeErrors(result.errors)).toEqual([]);
  });

  it("would catch a misspelt key or broken indentation", () => {
    const typo = source[".github/workflows/deploy.yml"].replace(
      "environment: prod",
      "enviroment: prod",
    );
    expect(describeErrors(validateWorkflow(typo).errors)).toContain(
      "/jobs/prod: Additional property 'enviroment' is not allowed",
    );
    const broken = source[".github/workflows/ci.yml"].replace("  check:\n", " check:\n");
    const [parseError] = validateWorkflow(broken).errors;
    expect(parseError).toMatchObject({ code: "parse_error" });
  });

  it("use no long-lived AWS keys and pin every action to a major version at least", () => {
    for (const file of FILES) {
      expect(source[file]).not.toMatch(/aws-access-key-id|aws-secret-access-key/i);
      expect(source[file]).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    }
    const uses = [ci, deploy].flatMap((workflow) =>
      Object.values(workflow.jobs).flatMap((job) => [
        ...(job.uses ? [job.uses] : []),
        ...(job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
      ]),
    );
    expect(uses.length).toBeGreaterThan(10);
    for (const action of uses) {
      expect(action).toMatch(/^\.\/|@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
    }
  });

  it("set up every job the way FINDINGS.md says works: Node 20, pnpm 12.21.0 from npm, no telemetry", () => {
    for (const workflow of [ci, deploy]) {
      expect(workflow.env).toMatchObject({ SST_TELEMETRY_DISABLED: "1", CI: "true" });
      for (const job of Object.values(workflow.jobs)) {
        if (!job.steps) continue;
        const node = job.steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
        expect(node?.with).toMatchObject({ "node-version": "20" });
        const install = runIndex(job, "npm i -g pnpm@12.21.0");
        expect(install).toBeGreaterThan(-1);
        const firstPnpm = stepIndex(job, (step) => /^pnpm /m.test(step.run ?? ""));
        expect(install).toBeLessThan(firstPnpm);
        expect(runs(job).join("\n")).not.toMatch(/corepack/);
      }
    }
  });

  it("only name jobs that exist in needs", () => {
    for (const workflow of [ci, deploy]) {
      const names = Object.keys(workflow.jobs);
      for (const job of Object.values(workflow.jobs)) {
        for (const need of [job.needs ?? []].flat()) expect(names).toContain(need);
      }
    }
  });

  it("run only pnpm scripts and localstays commands and options that exist", () => {
    const scripts = packageScripts();
    const found = Object.entries({ "ci.yml": ci, "deploy.yml": deploy }).flatMap(
      ([file, workflow]) =>
        Object.entries(workflow.jobs).flatMap(([name, job]) =>
          (job.steps ?? []).flatMap((step, i) =>
            step.run ? findPnpmCommands(step.run, `${file} jobs.${name}.steps[${i}]`) : [],
          ),
        ),
    );
    // Not a vacuous pass: the deploys, smoke tests and promote checks are among them.
    const cli = found.filter((f) => /^(smoke|-s localstays) /.test(f.args.join(" ")));
    expect(cli.length).toBeGreaterThanOrEqual(6);
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

describe("ci.yml", () => {
  it("runs on pull requests and pushes to main, and is callable by deploy.yml", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
    expect(ci.on.push).toEqual({ branches: ["main"] });
  });

  it("checks exactly what .ci/run runs, with its environment", () => {
    const scripts = packageScripts();
    const ciRun = read(".ci/run")
      .split("\n")
      .filter((line) => /^(npm|pnpm) /.test(line));
    const local = ciRun.flatMap((line) => expand(line, scripts));
    const check = ci.jobs.check;
    if (!check) throw new Error("no check job");
    const remote = runs(check).flatMap((run) => expand(run, scripts));
    expect(remote).toEqual(local);
    expect(local).toContain("vitest run");
    for (const [, name, value] of read(".ci/run").matchAll(/^export (\w+)="?([^"\n]*)"?$/gm)) {
      const expected = name === "CI" ? "true" : value;
      expect(ci.env?.[name ?? ""], name).toBe(expected);
    }
    // DynamoDB Local, used by the tests, is Java.
    expect(check.steps?.some((step) => step.uses?.startsWith("actions/setup-java@"))).toBe(true);
  });

  it("reports promote-check to dev1 on the summary of every pull request", () => {
    const job = ci.jobs["promote-check"];
    expect(job?.if).toBe("github.event_name == 'pull_request'");
    expect(runs(job ?? {})).toContain(
      `pnpm -s localstays promote-check --base-ref origin/${gh("github.base_ref")} --to dev1 --format markdown >> "$GITHUB_STEP_SUMMARY"`,
    );
    expect(job?.steps?.[0]).toMatchObject({
      uses: "actions/checkout@v4",
      with: { "fetch-depth": 0 },
    });
  });
});

const DEPLOYS = [
  { stage: "dev1", job: "dev1", trigger: "github.ref == 'refs/heads/dev1'" },
  { stage: "staging", job: "staging", trigger: "github.ref == 'refs/heads/staging'" },
  { stage: "prod", job: "prod", trigger: "startsWith(github.ref, 'refs/tags/v')" },
] as const;

/** The jobs a job waits for, transitively. */
function upstream(name: string, seen = new Set<string>()): Set<string> {
  for (const need of [deploy.jobs[name]?.needs ?? []].flat()) {
    if (!seen.has(need)) upstream(need, seen.add(need));
  }
  return seen;
}

describe("deploy.yml", () => {
  it("deploys dev1 and staging from their branches and prod from v* tags", () => {
    expect(deploy.on).toEqual({ push: { branches: ["dev1", "staging"], tags: ["v*"] } });
    expect(deploy.jobs.checks?.uses).toBe("./.github/workflows/ci.yml");
  });

  it.each(DEPLOYS)(
    "deploys $stage with OIDC, alone, after the checks, then smoke-tests it",
    ({ stage, job: name, trigger }) => {
      const job = deploy.jobs[name];
      if (!job) throw new Error(`no ${name} job`);
      expect(job.if).toBe(trigger);
      expect(upstream(name)).toContain("checks");
      expect(job.environment).toBe(stage);
      expect(job.concurrency).toEqual({ group: `deploy-${stage}`, "cancel-in-progress": false });
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });

      const credentials = stepIndex(job, (s) =>
        Boolean(s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
      );
      const aws = job.steps?.[credentials]?.with ?? {};
      expect(aws["role-to-assume"]).toBe(gh("vars.AWS_DEPLOY_ROLE_ARN"));
      expect(aws["aws-region"]).toBe(stageSettings(stage, {}).region);

      const buildx = stepIndex(job, (s) =>
        Boolean(s.uses?.startsWith("docker/setup-buildx-action@")),
      );
      const deployed = runIndex(job, `pnpm sst deploy --stage ${stage}`);
      const smoke = runIndex(job, `pnpm smoke --stage ${stage}`);
      expect(buildx).toBeGreaterThan(-1);
      expect(credentials).toBeGreaterThan(-1);
      expect(Math.max(buildx, credentials)).toBeLessThan(deployed);
      expect(deployed).toBeLessThan(smoke);
      expect(job.steps?.[smoke]?.env).toEqual({
        SMOKE_USERNAME: gh("secrets.SMOKE_USERNAME"),
        SMOKE_PASSWORD: gh("secrets.SMOKE_PASSWORD"),
      });
      if (stage !== "dev1") expect(job.steps?.[smoke]?.run).toMatch(/--require-user$/);
    },
  );

  it("grants OIDC tokens only to the deploy jobs", () => {
    expect(deploy.permissions).toEqual({ contents: "read" });
    const withToken = Object.entries(deploy.jobs)
      .filter(([, job]) => job.permissions?.["id-token"] === "write")
      .map(([name]) => name);
    expect(withToken.sort()).toEqual(DEPLOYS.map((d) => d.job).sort());
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(Object.values(ci.jobs).every((job) => !job.permissions)).toBe(true);
  });

  it("runs promote-check before staging deploys and before prod's approval", () => {
    const staging = deploy.jobs.staging ?? {};
    const deployed = runIndex(staging, "pnpm sst deploy");
    // The stages' settings, and what the push changes compared with what staging ran.
    for (const check of ["--from dev1 --to staging", '--base-ref "$BEFORE" --to staging']) {
      const index = runIndex(staging, `pnpm -s localstays promote-check ${check}`);
      expect(index, check).toBeGreaterThan(-1);
      expect(index, check).toBeLessThan(deployed);
    }
    const push = staging.steps?.[runIndex(staging, "--base-ref")];
    expect(push?.env).toEqual({ BEFORE: gh("github.event.before") });

    const prodCheck = deploy.jobs["prod-check"] ?? {};
    expect(prodCheck.environment).toBeUndefined();
    for (const check of ["--from staging --to prod", '--base-ref "$previous" --to prod']) {
      expect(
        runIndex(prodCheck, `pnpm -s localstays promote-check ${check}`),
        check,
      ).toBeGreaterThan(-1);
    }
    expect(runIndex(prodCheck, 'git merge-base --is-ancestor "$GITHUB_SHA" origin/staging')).toBe(
      stepIndex(prodCheck, (s) => s.name === "Only what staging ran goes to prod"),
    );
    expect(upstream("prod")).toContain("prod-check");
  });

  it("refuses prod, dev1 and staging into another account, and never runs a migration", () => {
    expect(deploy.env?.LOCALSTAYS_PROD_ACCOUNT_ID).toBe(gh("vars.LOCALSTAYS_PROD_ACCOUNT_ID"));
    expect(deploy.env?.LOCALSTAYS_DEV_ACCOUNT_ID).toBe(gh("vars.LOCALSTAYS_DEV_ACCOUNT_ID"));
    const allRuns = Object.values(deploy.jobs).flatMap(runs).join("\n");
    expect(allRuns).not.toMatch(/\bmigrate\b/);
    expect(source[".github/workflows/deploy.yml"]).toMatch(/Migrations are NOT run here/);
  });
});
