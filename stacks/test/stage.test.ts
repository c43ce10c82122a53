import { RemovalPolicy } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { lambdaName } from "../../packages/functions/src/function-names.js";
import { assertDeployTarget, stackName, stageSettings } from "../stage.js";
import { LOCAL_THROTTLE, THROTTLED_ROUTES } from "../throttle.js";

const DEV_ACCOUNT = "041608526793";
const PROD_ACCOUNT = "210987654321";
const OTHER_ACCOUNT = "111111111111";
const withProd = { LOCALSTAYS_PROD_ACCOUNT_ID: PROD_ACCOUNT };

describe("stage settings", () => {
  it("puts dev1 and staging in the seed's dev account in eu-north-1", () => {
    for (const stage of ["dev1", "staging"]) {
      expect(stageSettings(stage, {})).toMatchObject({
        account: DEV_ACCOUNT,
        region: "eu-north-1",
        personal: false,
        logRetention: "one_week",
        protectData: false,
        removalPolicy: RemovalPolicy.DESTROY,
        corsOrigins: ["*"],
      });
    }
  });

  it("puts prod in eu-central-1, in the account from LOCALSTAYS_PROD_ACCOUNT_ID, with data protected", () => {
    expect(stageSettings("prod", withProd)).toMatchObject({
      account: PROD_ACCOUNT,
      region: "eu-central-1",
      logRetention: "one_month",
      protectData: true,
      removalPolicy: RemovalPolicy.RETAIN,
      corsOrigins: ["https://app.localstays.com"],
      tags: { app: "localstays", stage: "prod", "cost-centre": "localstays-prod" },
    });
    expect(stageSettings("prod", {}).account).toBeUndefined();
  });

  it("serves prod's dashboard on app.localstays.com, the one origin its CORS allows; no domain elsewhere", () => {
    expect(stageSettings("prod", withProd)).toMatchObject({
      appDomain: {
        domainName: "app.localstays.com",
        certificateArnParameter: "/localstays/prod/app-domain/certificate-arn",
      },
      corsOrigins: ["https://app.localstays.com"],
    });
    for (const stage of ["dev1", "staging", "alice"]) {
      expect(stageSettings(stage, {})).toMatchObject({ appDomain: undefined, corsOrigins: ["*"] });
    }
  });

  it("pages by e-mail in staging and prod only, and adds Slack where both ids are configured", () => {
    const emails = ["dev1", "staging", "prod", "alice"].map(
      (stage) => stageSettings(stage, withProd).alerts,
    );
    expect(emails).toEqual([
      { emails: [], slack: undefined },
      { emails: ["alerts+staging@localstays.com"], slack: undefined },
      { emails: ["alerts@localstays.com"], slack: undefined },
      { emails: [], slack: undefined },
    ]);
    const slackEnv = {
      ...withProd,
      LOCALSTAYS_SLACK_WORKSPACE_ID: "T0123ABCDEF",
      LOCALSTAYS_SLACK_CHANNEL_STAGING: "C0456GHIJKL",
    };
    expect(stageSettings("staging", slackEnv).alerts.slack).toEqual({
      workspaceId: "T0123ABCDEF",
      channelId: "C0456GHIJKL",
    });
    // The channel is the stage's own: staging's id does not page prod's people, nor dev1's.
    expect(stageSettings("prod", slackEnv).alerts.slack).toBeUndefined();
    expect(stageSettings("dev1", slackEnv).alerts.slack).toBeUndefined();
  });

  it("refuses a channel without its workspace and ids that are not Slack's", () => {
    expect(() =>
      stageSettings("prod", { ...withProd, LOCALSTAYS_SLACK_CHANNEL_PROD: "C0456GHIJKL" }),
    ).toThrow("LOCALSTAYS_SLACK_CHANNEL_PROD needs LOCALSTAYS_SLACK_WORKSPACE_ID");
    expect(() =>
      stageSettings("prod", {
        ...withProd,
        LOCALSTAYS_SLACK_WORKSPACE_ID: "T0123ABCDEF",
        LOCALSTAYS_SLACK_CHANNEL_PROD: "#alerts",
      }),
    ).toThrow('LOCALSTAYS_SLACK_CHANNEL_PROD is not a Slack id: "#alerts"');
  });

  it("releases through CodeDeploy in prod (canary) and staging (all at once); dev1 and personal stages run plain functions", () => {
    const release = ["dev1", "staging", "prod", "alice"].map(
      (stage) => stageSettings(stage, withProd).release,
    );
    expect(release).toEqual([
      undefined,
      { shift: "all-at-once" },
      { shift: "canary-10-percent-5-minutes" },
      undefined,
    ]);
  });

  it("throttles the API per stage: prod's numbers in staging and prod, tighter on search and uploads", () => {
    const throttle = (stage: string) => stageSettings(stage, withProd).throttle;
    const { search, publicListing, uploadRequest } = THROTTLED_ROUTES;
    expect(throttle("prod")).toEqual({
      default: { rate: 300, burst: 600 },
      routes: {
        [search]: { rate: 100, burst: 200 },
        [publicListing]: { rate: 100, burst: 200 },
        [uploadRequest]: { rate: 20, burst: 40 },
      },
    });
    expect(throttle("staging")).toEqual(throttle("prod"));
    expect(throttle("dev1")).toEqual({
      default: { rate: 100, burst: 200 },
      routes: {
        [search]: { rate: 50, burst: 100 },
        [publicListing]: { rate: 50, burst: 100 },
        [uploadRequest]: { rate: 20, burst: 40 },
      },
    });
    // The local gateway's numbers are a personal stage's, from the same table.
    expect(LOCAL_THROTTLE).toEqual(throttle("local"));
    for (const stage of ["dev1", "staging", "prod"]) {
      for (const limit of Object.values(throttle(stage).routes)) {
        expect(limit.rate).toBeLessThan(throttle(stage).default.rate);
        expect(limit.burst).toBeGreaterThanOrEqual(limit.rate);
      }
    }
  });

  it("alarms when an upload has waited 15 minutes for the processor, in every stage", () => {
    for (const stage of ["dev1", "staging", "prod", "alice"]) {
      expect(stageSettings(stage, withProd).alarms.uploadsOldestAge).toEqual({
        threshold: 900,
        periodMinutes: 5,
        evaluationPeriods: 1,
      });
    }
  });

  it("turns feature X on in dev1 only", () => {
    const flags = ["dev1", "staging", "prod", "alice"].map(
      (stage) => stageSettings(stage, withProd).features.ENABLE_FEATURE_X,
    );
    expect(flags).toEqual([true, false, false, false]);
  });

  it("traces with X-Ray in staging and prod only", () => {
    const tracing = ["dev1", "staging", "prod", "alice"].map(
      (stage) => stageSettings(stage, withProd).tracing,
    );
    expect(tracing).toEqual([false, true, true, false]);
  });

  it("gives any other stage name the dev defaults as a personal stage", () => {
    const alice = stageSettings("alice", {});
    const {
      stage: _s,
      personal: _p,
      tags: _t,
      features: _f,
      alerts,
      release: _r,
      pipelineOnly,
      tracing: _tr,
      throttle: _th,
      adminTotpRequired,
      mail,
      ...aliceRest
    } = alice;
    // Releases, tracing and throttles: the tests above (staging runs prod's release path,
    // traces and has prod's throttles; a personal stage does none of it).
    // Only the pipeline changes staging; `sst dev` and `sst remove` are for personal stages.
    const {
      stage: _s2,
      personal: _p2,
      tags: _t2,
      features: _f2,
      alerts: _a2,
      release: _r2,
      pipelineOnly: stagingPipelineOnly,
      pointInTimeRecovery: stagingPitr,
      monthlyBudgetUsd: stagingBudget,
      tracing: _tr2,
      throttle: _th2,
      adminTotpRequired: stagingAdminTotp,
      mail: stagingMail,
      ...stagingRest
    } = stageSettings("staging", {});
    // Staging keeps prod's admin rule, and each stage sends from its own domain.
    expect([adminTotpRequired, stagingAdminTotp]).toEqual([false, true]);
    expect([mail.domain, stagingMail.domain]).toEqual([
      "alice.dev.localstays.com",
      "staging.localstays.com",
    ]);
    expect([pipelineOnly, stagingPipelineOnly]).toEqual([false, true]);
    expect(alerts).toEqual({ emails: [], slack: undefined });
    expect(alice.personal).toBe(true);
    // Staging differs in its PITR (restores are rehearsed there) and its budget.
    expect(stagingPitr).toBe(true);
    expect(stagingBudget).toBeGreaterThan(aliceRest.monthlyBudgetUsd);
    expect({
      ...aliceRest,
      environment: "staging",
      pointInTimeRecovery: true,
      monthlyBudgetUsd: stagingBudget,
    }).toEqual({
      ...stagingRest,
      pointInTimeRecovery: stagingPitr,
      monthlyBudgetUsd: stagingBudget,
    });
    expect(alice.tags).toEqual({
      app: "localstays",
      stage: "alice",
      "cost-centre": "localstays-dev",
    });
  });

  it("lets LOCALSTAYS_DEV_ACCOUNT_ID override the dev account and rejects malformed ids", () => {
    expect(stageSettings("dev1", { LOCALSTAYS_DEV_ACCOUNT_ID: "222222222222" }).account).toBe(
      "222222222222",
    );
    expect(() => stageSettings("prod", { LOCALSTAYS_PROD_ACCOUNT_ID: "TBD" })).toThrow(
      /LOCALSTAYS_PROD_ACCOUNT_ID must be a 12-digit AWS account id/,
    );
  });

  it("names stacks as the seed does and keeps Lambda names within 64 characters", () => {
    expect(stackName("staging", "Api")).toBe("LocalstaysStagingApiStack");
    expect(stackName("dev1", "Data")).toBe("LocalstaysDev1DataStack");
    const long = lambdaName(
      "staging",
      "PATCH hosts/{hostId}/listings/{listingId}/images/{imageId}",
    );
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^localstays-staging-PATCH-hosts-hostId-listings-.*-[0-9a-f]{8}$/);
  });
});

describe("deploy-target guard", () => {
  it("refuses prod in any account but the configured prod account", () => {
    const prod = stageSettings("prod", withProd);
    expect(() => assertDeployTarget(prod, { account: OTHER_ACCOUNT }, withProd)).toThrow(
      `Refusing to deploy stage "prod" to account ${OTHER_ACCOUNT}: prod deploys only to account ${PROD_ACCOUNT}`,
    );
    expect(() => assertDeployTarget(prod, { account: DEV_ACCOUNT }, withProd)).toThrow(/Refusing/);
    expect(() => assertDeployTarget(prod, { account: PROD_ACCOUNT }, withProd)).not.toThrow();
  });

  it("refuses prod while the prod account is not configured", () => {
    expect(() =>
      assertDeployTarget(stageSettings("prod", {}), { account: PROD_ACCOUNT }, {}),
    ).toThrow(/the prod account is not configured\. Set LOCALSTAYS_PROD_ACCOUNT_ID/);
  });

  it("keeps named stages in their own region and lets personal stages choose", () => {
    expect(() =>
      assertDeployTarget(stageSettings("staging", {}), {
        account: DEV_ACCOUNT,
        region: "us-east-1",
      }),
    ).toThrow('Refusing to deploy stage "staging" to region us-east-1: it lives in eu-north-1.');
    const prod = stageSettings("prod", withProd);
    expect(() =>
      assertDeployTarget(prod, { account: PROD_ACCOUNT, region: "eu-north-1" }, withProd),
    ).toThrow(/it lives in eu-central-1/);
    expect(() =>
      assertDeployTarget(prod, { account: PROD_ACCOUNT, region: "eu-central-1" }, withProd),
    ).not.toThrow();
    expect(() =>
      assertDeployTarget(stageSettings("alice", {}), { account: DEV_ACCOUNT, region: "us-east-1" }),
    ).not.toThrow();
  });

  it("keeps dev1 and staging in the dev account, naming the variable that moves it", () => {
    for (const stage of ["dev1", "staging"]) {
      const settings = stageSettings(stage, withProd);
      expect(() => assertDeployTarget(settings, { account: DEV_ACCOUNT }, withProd)).not.toThrow();
      expect(() => assertDeployTarget(settings, { account: OTHER_ACCOUNT }, withProd)).toThrow(
        `Refusing to deploy stage "${stage}" to account ${OTHER_ACCOUNT}: it lives in the dev ` +
          `account ${DEV_ACCOUNT} (LOCALSTAYS_DEV_ACCOUNT_ID, default ${DEV_ACCOUNT}).`,
      );
      expect(() => assertDeployTarget(settings, { account: undefined }, withProd)).toThrow(
        /to account \(unknown\).*LOCALSTAYS_DEV_ACCOUNT_ID/,
      );
      // Another dev account, configured: that one is right, the seed's is not.
      const moved = { ...withProd, LOCALSTAYS_DEV_ACCOUNT_ID: OTHER_ACCOUNT };
      const elsewhere = stageSettings(stage, moved);
      expect(() => assertDeployTarget(elsewhere, { account: OTHER_ACCOUNT }, moved)).not.toThrow();
      expect(() => assertDeployTarget(elsewhere, { account: DEV_ACCOUNT }, moved)).toThrow(
        /LOCALSTAYS_DEV_ACCOUNT_ID/,
      );
    }
  });

  it("lets a personal stage use any account but prod's", () => {
    const settings = stageSettings("alice", withProd);
    for (const account of [DEV_ACCOUNT, OTHER_ACCOUNT]) {
      expect(() => assertDeployTarget(settings, { account }, withProd)).not.toThrow();
    }
  });

  it("refuses every other stage in the prod account", () => {
    for (const stage of ["dev1", "staging", "alice"]) {
      const settings = stageSettings(stage, withProd);
      expect(() => assertDeployTarget(settings, { account: PROD_ACCOUNT }, withProd)).toThrow(
        `Refusing to deploy stage "${stage}" to the prod account ${PROD_ACCOUNT}`,
      );
    }
  });
});
