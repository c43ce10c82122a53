import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stageSettings } from "../../../stacks/stage.js";
import {
  deployStage,
  gh,
  job,
  preview,
  runIndex,
  runScript,
  script,
  source,
  step,
  usesIndex,
} from "./workflow-files.js";

/**
 * preview.yml: a stage pr-<number> per pull request, deployed, seeded, smoke-tested and
 * commented on while the pull request is open, removed when it closes; never for a fork.
 * workflows.test.ts checks what every workflow must (schema, pinned actions, env-only
 * expressions, pnpm commands that exist).
 */

const deployJob = job(preview, "deploy");
const removeJob = job(preview, "remove");
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";

describe("preview.yml", () => {
  it("runs on a pull request's opened, synchronize, reopened and closed events only", () => {
    expect(preview.on).toEqual({
      pull_request: { types: ["opened", "synchronize", "reopened", "closed"] },
    });
    // Not pull_request_target, which would run a fork's code with this repository's rights.
    expect(Object.keys(preview.on)).toEqual(["pull_request"]);
  });

  it("deploys stage pr-<number>, one run per pull request at a time, never cancelled midway", () => {
    expect(preview.env).toMatchObject({
      STAGE: `pr-${gh("github.event.pull_request.number")}`,
      PR_NUMBER: gh("github.event.pull_request.number"),
      LOCALSTAYS_PROD_ACCOUNT_ID: gh("vars.LOCALSTAYS_PROD_ACCOUNT_ID"),
    });
    expect((preview as { concurrency?: unknown }).concurrency).toEqual({
      group: `preview-${gh("github.event.pull_request.number")}`,
      "cancel-in-progress": false,
    });
    // A preview stage has a personal stage's settings: nothing protected, nothing retained.
    const settings = stageSettings("pr-42", {});
    expect(settings).toMatchObject({
      personal: true,
      protectData: false,
      logRetention: "one_week",
      pipelineOnly: false,
    });
  });

  it("gives a fork's pull request no job at all, and the open and closed events one each", () => {
    expect(deployJob.if).toBe(`github.event.action != 'closed' && ${SAME_REPO}`);
    expect(removeJob.if).toBe(`github.event.action == 'closed' && ${SAME_REPO}`);
    expect(preview.permissions).toEqual({ contents: "read" });
  });

  it("gets AWS through OIDC, behind its own environment `preview`, in a personal stage's region", () => {
    for (const j of [deployJob, removeJob]) {
      expect(j.environment).toBe("preview");
      expect(j.permissions?.["id-token"]).toBe("write");
      const aws = step(j.steps, "aws").with ?? {};
      expect(aws["role-to-assume"]).toBe(gh("vars.AWS_DEPLOY_ROLE_ARN"));
      expect(aws["aws-region"]).toBe(stageSettings("pr-1", {}).region);
      expect(step(j.steps, "checkout").with).toEqual({ "persist-credentials": false });
    }
    // Only the deploy job comments.
    expect(deployJob.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    expect(removeJob.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("pins the same action commits as deploy-stage.yml", () => {
    const pins = (text: string) =>
      new Map(
        [...text.matchAll(/uses:\s*([\w-]+\/[\w-]+)@([0-9a-f]{40})/g)].map((m) => [m[1], m[2]]),
      );
    const ours = pins(source[".github/workflows/preview.yml"]);
    const theirs = pins(source[".github/workflows/deploy-stage.yml"]);
    expect(ours.size).toBe(4);
    for (const [action, sha] of ours) expect(sha, action).toBe(theirs.get(action));
  });

  it("checks the preview limit, then deploys, seeds, smoke-tests and comments, in that order", () => {
    const at = {
      credentials: usesIndex(deployJob, "aws-actions/configure-aws-credentials"),
      limit: runIndex(
        deployJob,
        'pnpm -s localstays preview-limit --stage "$STAGE" --max "$MAX_PREVIEWS"',
      ),
      deploy: runIndex(deployJob, 'pnpm sst deploy --stage "$STAGE"'),
      seed: runIndex(deployJob, 'pnpm -s localstays seed --stage "$STAGE"'),
      smoke: runIndex(deployJob, 'pnpm smoke --stage "$STAGE"'),
      comment: runIndex(deployJob, "gh pr comment"),
    };
    const order = Object.values(at);
    expect(order.every((i) => i > -1)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(Number(preview.env?.MAX_PREVIEWS)).toBeGreaterThan(0);
    // The deploy job's token is the only one that comments.
    expect(step(deployJob.steps, "comment").env).toEqual({ GH_TOKEN: gh("github.token") });
  });

  it("removes the stage when the pull request closes", () => {
    expect(runIndex(removeJob, 'pnpm sst remove --stage "$STAGE"')).toBeGreaterThan(
      usesIndex(removeJob, "aws-actions/configure-aws-credentials"),
    );
  });

  it("sets up node and pnpm like the deploy job", () => {
    for (const id of ["setup-node", "pnpm", "install"]) {
      expect(step(deployJob.steps, id)).toEqual(step(job(deployStage, "deploy").steps, id));
    }
  });
});

describe("preview.yml's comment script", () => {
  const tmp = mkdtempSync(join(tmpdir(), "localstays-preview-comment-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const comment = script(step(deployJob.steps, "comment"));

  /** A checkout with SST's outputs, and `gh` replaced by a recorder (GitHub is not reachable). */
  function checkout(outputs: unknown) {
    const dir = mkdtempSync(join(tmp, "checkout-"));
    mkdirSync(join(dir, ".sst"));
    writeFileSync(join(dir, ".sst", "outputs.json"), JSON.stringify(outputs));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "gh"),
      `#!/bin/bash\nprintf '%s\\n' "$@" > "${dir}/gh-args"\nfor ((i=1;i<=$#;i++)); do if [ "\${!i}" = --body-file ]; then j=$((i+1)); cp "\${!j}" "${dir}/gh-body"; fi; done\n`,
    );
    chmodSync(join(bin, "gh"), 0o755);
    const run = () =>
      runScript(comment, dir, {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        PR_NUMBER: "42",
        STAGE: "pr-42",
        RUNNER_TEMP: dir,
      });
    return { dir, run };
  }

  it("comments the preview's dashboard and API URLs on its pull request, editing its last comment", async () => {
    const { dir, run } = checkout({
      "LocalstaysPr-42ApiStack": { ApiUrl: "https://a1b2c3.execute-api.eu-north-1.amazonaws.com" },
      "LocalstaysPr-42WebStack": { WebUrl: "https://d111111abcdef8.cloudfront.net" },
      LocalstaysDev1ApiStack: { ApiUrl: "https://wrong.example" },
    });
    const result = await run();
    expect(result.code).toBe(0);
    const args = readFileSync(join(dir, "gh-args"), "utf8").trim().split("\n");
    expect(args.slice(0, 5)).toEqual(["pr", "comment", "42", "--edit-last", "--create-if-none"]);
    const body = readFileSync(join(dir, "gh-body"), "utf8");
    expect(body).toContain("Preview `pr-42` is deployed");
    expect(body).toContain("- Dashboard: https://d111111abcdef8.cloudfront.net");
    expect(body).toContain("- API: https://a1b2c3.execute-api.eu-north-1.amazonaws.com");
  });

  it("fails instead of commenting when the outputs lack a URL", async () => {
    const { dir, run } = checkout({
      "LocalstaysPr-42ApiStack": { ApiUrl: "https://a1b2c3.execute-api.eu-north-1.amazonaws.com" },
    });
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::No ApiUrl or WebUrl for pr-42");
    expect(() => readFileSync(join(dir, "gh-args"))).toThrow();
  });
});
