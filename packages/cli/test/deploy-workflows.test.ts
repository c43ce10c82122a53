import { describe, expect, it } from "vitest";
import { namedStages, stageSettings } from "../../../stacks/stage.js";
import {
  ci,
  deploy,
  deployStage,
  gh,
  type Job,
  job,
  notifyAction,
  rollback,
  runIndex,
  step,
  stepIndex,
  usesIndex,
  type Workflow,
} from "./workflow-files.js";

/**
 * The deploy paths: deploy.yml (pushes and release tags) and rollback.yml (by hand) both run
 * deploy-stage.yml, which holds the checks, the gate (ancestry, promote-check), the deploy with
 * OIDC behind the stage's environment, smoke, and a Slack message on every failure.
 * workflows.test.ts checks the rules every workflow follows; workflow-scripts.test.ts runs the
 * scripts named here.
 */

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
      // The environment's secrets (Slack webhook) reach the called jobs.
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
      // stacks/stage.ts refuses prod, dev1 and staging outside their accounts.
      LOCALSTAYS_PROD_ACCOUNT_ID: gh("vars.LOCALSTAYS_PROD_ACCOUNT_ID"),
      LOCALSTAYS_DEV_ACCOUNT_ID: gh("vars.LOCALSTAYS_DEV_ACCOUNT_ID"),
      // The alarm topic's Slack channels (stacks/stage.ts alerts).
      LOCALSTAYS_SLACK_WORKSPACE_ID: gh("vars.LOCALSTAYS_SLACK_WORKSPACE_ID"),
      LOCALSTAYS_SLACK_CHANNEL_STAGING: gh("vars.LOCALSTAYS_SLACK_CHANNEL_STAGING"),
      LOCALSTAYS_SLACK_CHANNEL_PROD: gh("vars.LOCALSTAYS_SLACK_CHANNEL_PROD"),
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
    // The smoke user comes from the stage's SSM parameter (localstays smoke-user), not from
    // GitHub secrets: no SMOKE_* anywhere in the deploy workflows.
    expect(stageDeploy.steps?.[smoke]?.env).toBeUndefined();
    expect(JSON.stringify([deploy, deployStage])).not.toMatch(/SMOKE_/);
  });

  it("does not deploy over a live session: live-check with the stage's credentials, right before sst deploy", () => {
    const credentials = usesIndex(stageDeploy, "aws-actions/configure-aws-credentials");
    const checked = runIndex(stageDeploy, 'pnpm -s localstays live-check --stage "$STAGE"');
    const deployed = runIndex(stageDeploy, 'pnpm sst deploy --stage "$STAGE"');
    expect(credentials).toBeGreaterThan(-1);
    expect(checked).toBe(deployed - 1);
    expect(credentials).toBeLessThan(checked);
    // For every stage: no `if` lets a deploy skip it.
    expect(stageDeploy.steps?.[checked]?.if).toBeUndefined();
  });

  it("verifies the stage after the deploy, then smoke-tests it, then watches its alarms (5/10/15 min)", () => {
    const deployed = runIndex(stageDeploy, 'pnpm sst deploy --stage "$STAGE"');
    const verified = runIndex(stageDeploy, 'pnpm -s localstays verify --stage "$STAGE" --wait');
    const smoke = runIndex(stageDeploy, 'pnpm smoke --stage "$STAGE"');
    const watched = runIndex(
      stageDeploy,
      'pnpm -s localstays watch --stage "$STAGE" --minutes "$WATCH_MINUTES"',
    );
    expect([deployed, verified, smoke, watched].every((i) => i > -1)).toBe(true);
    expect(deployed).toBeLessThan(verified);
    expect(verified).toBeLessThan(smoke);
    expect(smoke).toBeLessThan(watched);
    const minutes = stageMap(stageDeploy.steps?.[watched]?.env?.WATCH_MINUTES);
    expect(minutes).toEqual({ dev1: 5, staging: 10, prod: 15 });
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
