import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deployStage,
  job,
  notifyAction,
  rollback,
  runScript,
  script,
  step,
} from "./workflow-files.js";

/**
 * The scripts of the deploy workflows, run with bash against throwaway git repositories: the
 * ancestry gate, the smoke step's options per stage, the rollback's ref resolution and the
 * Slack failure notification (posting to a local HTTP server).
 */

const tmp = mkdtempSync(join(tmpdir(), "localstays-workflow-scripts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@localstays.dev",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@localstays.dev",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** A repository with a history; `commit` returns the new commit's SHA. */
function repository(name: string) {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...GIT_ENV },
      encoding: "utf8",
    }).trim();
  git("init", "--quiet", "--initial-branch=main");
  const commit = (message: string) => {
    git("commit", "--quiet", "--allow-empty", "--message", message);
    return git("rev-parse", "HEAD");
  };
  return { dir, git, commit };
}

/** The files a step writes for the runner, read back after the run. */
function runnerFiles(name: string) {
  const output = join(tmp, `${name}.output`);
  const summary = join(tmp, `${name}.summary`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  return {
    env: { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
    outputs: () =>
      Object.fromEntries(
        readFileSync(output, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(/=(.*)/s).slice(0, 2)),
      ),
    summary: () => readFileSync(summary, "utf8"),
  };
}

describe("deploy-stage.yml's gate", () => {
  const ancestry = script(step(job(deployStage, "gate").steps, "ancestry"));
  const repo = repository("ancestry");
  const onDev1 = repo.commit("ran on dev1");
  const notOnDev1 = repo.commit("pushed to staging only");
  repo.git("update-ref", "refs/remotes/origin/dev1", onDev1);
  const atCommit = (sha: string) => {
    repo.git("checkout", "--quiet", "--detach", sha);
    return runScript(ancestry, repo.dir, { UPSTREAM: "dev1", DEPLOY_REF: sha, ...GIT_ENV });
  };

  it("lets staging deploy a commit that dev1 has run", async () => {
    expect(await atCommit(onDev1)).toMatchObject({ code: 0 });
  });

  it("refuses a commit that is not on dev1, saying so", async () => {
    const result = await atCommit(notOnDev1);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `::error::${notOnDev1} is not on the dev1 branch: promote it through dev1 first.`,
    );
  });
});

describe("deploy-stage.yml's smoke step", () => {
  const smoke = script(step(job(deployStage, "deploy").steps, "smoke"));
  // A pnpm that prints what it was asked to run.
  const bin = join(tmp, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "pnpm"), '#!/bin/sh\necho "pnpm $*"\n');
  chmodSync(join(bin, "pnpm"), 0o755);
  const run = (stage: string) =>
    runScript(smoke, tmp, { STAGE: stage, PATH: `${bin}:${process.env.PATH ?? ""}` });

  it.each([
    ["dev1", "pnpm smoke --stage dev1\n"],
    ["staging", "pnpm smoke --stage staging --require-user\n"],
    ["prod", "pnpm smoke --stage prod --require-user\n"],
  ])("smoke-tests %s with a smoke user only where one is required", async (stage, command) => {
    expect(await run(stage)).toMatchObject({ code: 0, stdout: command });
  });
});

describe("rollback.yml's resolve step", () => {
  const resolve = script(step(job(rollback, "resolve").steps, "resolve"));
  const repo = repository("releases");
  const v1 = repo.commit("release 1.0.0");
  repo.git("tag", "v1.0.0");
  const v1_1 = repo.commit("release 1.1.0");
  repo.git("tag", "v1.1.0");
  const untagged = repo.commit("not released");
  repo.commit("release 1.2.0");
  repo.git("tag", "v1.2.0");

  const run = async (stage: string, ref: string) => {
    const files = runnerFiles(`resolve-${stage}-${ref || "default"}`);
    const result = await runScript(resolve, repo.dir, {
      STAGE: stage,
      REF: ref,
      ...files.env,
      ...GIT_ENV,
    });
    return { ...result, outputs: files.outputs(), summary: files.summary() };
  };

  it("rolls prod back to the release before the newest one when no ref is given", async () => {
    const result = await run("prod", "");
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ commit: v1_1, current: "v1.2.0" });
    expect(result.summary).toBe(`Rolling prod back to v1.1.0 (${v1_1}); it runs v1.2.0 now.\n`);
  });

  it("takes a named release, and compares staging with its branch", async () => {
    expect((await run("prod", "v1.0.0")).outputs).toEqual({ commit: v1, current: "v1.2.0" });
    expect((await run("staging", "v1.0.0")).outputs).toEqual({
      commit: v1,
      current: "origin/staging",
    });
    expect((await run("dev1", untagged)).outputs).toEqual({
      commit: untagged,
      current: "origin/dev1",
    });
  });

  it("refuses a commit that is not a release for prod", async () => {
    const result = await run("prod", untagged);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::${untagged} is not a release tag (v*)`);
    expect(result.outputs).toEqual({});
  });

  it("refuses a ref that does not exist", async () => {
    const result = await run("staging", "v9.9.9");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::v9.9.9 is not a tag, branch or commit");
  });

  it("says so when there is no release to go back to", async () => {
    const single = repository("one-release");
    single.commit("release 1.0.0");
    single.git("tag", "v1.0.0");
    const result = await runScript(resolve, single.dir, { STAGE: "prod", REF: "", ...GIT_ENV });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("::error::There is no release before the newest one");
  });
});

describe("the failure notification", () => {
  const post = script(notifyAction.runs.steps?.[0] ?? {});
  const received: { contentType?: string; body: string }[] = [];
  let server: Server;
  let webhook = "";
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ contentType: request.headers["content-type"], body });
        response.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T/B/x`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const repo = repository("notify");
  const deployed = repo.commit("the deployed commit");
  const RUNNER = {
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "localstays/localstays",
    GITHUB_RUN_ID: "4242",
    GITHUB_JOB: "deploy",
    ...GIT_ENV,
  };
  const STEPS = JSON.stringify({
    checkout: { outcome: "success", conclusion: "success", outputs: {} },
    deploy: { outcome: "success", conclusion: "success", outputs: {} },
    smoke: { outcome: "failure", conclusion: "failure", outputs: {} },
  });
  const notify = (env: Record<string, string>) => {
    received.length = 0;
    return runScript(post, repo.dir, {
      ...RUNNER,
      STAGE: "staging",
      STEPS_JSON: STEPS,
      FAILED: "",
      ...env,
    });
  };

  it("names the stage, the commit, the job and the failed step, with a link to the run", async () => {
    const result = await notify({ SLACK_WEBHOOK_URL: webhook, DEPLOY_REF: deployed });
    expect(result.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.contentType).toBe("application/json");
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({
      text: `Deploy of staging failed: commit ${deployed}, job deploy, step smoke. https://github.com/localstays/localstays/actions/runs/4242`,
    });
  });

  it("resolves a tag to its commit, names what failed outside the job, and escapes the text", async () => {
    repo.git("tag", "v2.0.0");
    await notify({
      SLACK_WEBHOOK_URL: webhook,
      DEPLOY_REF: "v2.0.0",
      FAILED: 'Checks (lint, "typecheck", test)',
    });
    expect(JSON.parse(received[0]?.body ?? "").text).toBe(
      `Deploy of staging failed: commit ${deployed} (v2.0.0), Checks (lint, "typecheck", test). https://github.com/localstays/localstays/actions/runs/4242`,
    );
  });

  it("names the ref when the job has no checkout of it", async () => {
    await notify({ SLACK_WEBHOOK_URL: webhook, DEPLOY_REF: "the previous release" });
    expect(JSON.parse(received[0]?.body ?? "").text).toMatch(
      /^Deploy of staging failed: commit the previous release, job deploy, step smoke\. /,
    );
  });

  it("posts nothing, and passes, when the environment has no webhook", async () => {
    const result = await notify({ SLACK_WEBHOOK_URL: "", DEPLOY_REF: deployed });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("No SLACK_WEBHOOK_URL secret for this job");
    expect(received).toEqual([]);
  });

  it("fails its step when Slack refuses the message", async () => {
    const result = await notify({
      SLACK_WEBHOOK_URL: "http://127.0.0.1:9/closed",
      DEPLOY_REF: deployed,
    });
    expect(result.code).not.toBe(0);
  });
});
