import type { StageExpectation } from "./stage-spec.js";

/**
 * The stages as the seed and the brief decide them, written out literally rather than
 * read back from stacks/stage.ts, so a change there has to be a deliberate change here too.
 */
const SEED_DEV_ACCOUNT = "041608526793";
/** The prod account does not exist yet: a stand-in id, configured the way CI will. */
export const PROD_ACCOUNT = "210987654321";

const devDefaults = {
  account: SEED_DEV_ACCOUNT,
  region: "eu-north-1",
  retentionDays: 7,
  protectData: false,
  pointInTimeRecovery: false,
  budgetUsd: 10,
  corsOrigins: ["*"],
  featureX: false,
  costCentre: "localstays-dev",
  alertEmails: [],
  tracing: false,
  adminTotpRequired: false,
};

const mailOf = (domain: string) => ({ domain, from: `no-reply@${domain}`, sesSending: false });

export const dev1: StageExpectation = {
  ...devDefaults,
  stage: "dev1",
  featureX: true,
  budgetUsd: 15,
  mail: mailOf("dev1.localstays.com"),
};
export const staging: StageExpectation = {
  ...devDefaults,
  stage: "staging",
  pointInTimeRecovery: true,
  budgetUsd: 20,
  costCentre: "localstays-staging",
  mail: mailOf("staging.localstays.com"),
  alertEmails: ["alerts+staging@localstays.com"],
  deploymentConfig: "CodeDeployDefault.LambdaAllAtOnce",
  tracing: true,
  adminTotpRequired: true,
};
/** Any stage name that is not dev1, staging or prod is a personal stage with dev defaults. */
export const personal: StageExpectation = {
  ...devDefaults,
  stage: "alice",
  mail: mailOf("alice.dev.localstays.com"),
};
export const prod: StageExpectation = {
  stage: "prod",
  account: PROD_ACCOUNT,
  region: "eu-central-1",
  retentionDays: 30,
  protectData: true,
  pointInTimeRecovery: true,
  backup: { dailyDays: 35, monthlyDays: 365 },
  budgetUsd: 100,
  appDomain: "app.localstays.com",
  mail: mailOf("localstays.com"),
  corsOrigins: ["https://app.localstays.com"],
  featureX: false,
  costCentre: "localstays-prod",
  alertEmails: ["alerts@localstays.com"],
  slack: { workspaceId: "T0123ABCDEF", channelId: "C0456GHIJKL" },
  deploymentConfig: "CodeDeployDefault.LambdaCanary10Percent5Minutes",
  tracing: true,
  adminTotpRequired: true,
};

/** How CI hands prod's synthesis its account and Slack channel: environment variables. */
export const prodEnv = {
  LOCALSTAYS_PROD_ACCOUNT_ID: PROD_ACCOUNT,
  LOCALSTAYS_SLACK_WORKSPACE_ID: "T0123ABCDEF",
  LOCALSTAYS_SLACK_CHANNEL_PROD: "C0456GHIJKL",
};
