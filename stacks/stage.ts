import { RemovalPolicy } from "aws-cdk-lib";

/**
 * Every per-stage decision of the infrastructure, in one typed table. Stacks read a
 * `StageSettings`; nothing else in the code branches on a stage name.
 *
 * Accounts come from the seed (`cdk.json` environments): dev1 and staging share the dev
 * account, prod gets its own account, still to be created, so it is read from the
 * environment and never written down here.
 */
import { APP_NAME } from "../packages/core/src/app.js";
import { API_THROTTLES, type ApiThrottle } from "./throttle.js";

export { APP_NAME };

const SEED_DEV_ACCOUNT = "041608526793";
const DEV_REGION = "eu-north-1";
const PROD_REGION = "eu-central-1";

type Environment = "dev" | "staging" | "prod";
/** SST's spelling of CloudWatch Logs retention (`Function.logRetention`, `Api.accessLog`). */
export type LogRetention = "one_week" | "one_month";

/**
 * How CodeDeploy moves a release of a Lambda function onto its `live` alias
 * (stacks/release.ts): 10% of the traffic for 5 minutes, then all of it; or all at once.
 */
export type ReleaseShift = "canary-10-percent-5-minutes" | "all-at-once";

export interface AlarmSettings {
  /** Alarm when the metric sum over one period reaches this value. */
  threshold: number;
  periodMinutes: number;
  evaluationPeriods: number;
}

/**
 * A stage's own domain for the host dashboard (stacks/Web.ts). Its origin is the ONE origin
 * that the API and the photo bucket allow (CORS), so site and CORS cannot drift apart.
 */
export interface AppDomain {
  /** `app.localstays.com`: the dashboard is served on `https://<domainName>`. */
  domainName: string;
  /**
   * SSM parameter (String, in the stage's account and region) holding the ARN of the ACM
   * certificate for `domainName` in us-east-1, as CloudFront requires. It is resolved by
   * CloudFormation at deploy time, so synthesis needs no AWS access (docs/operations.md).
   */
  certificateArnParameter: string;
}

/** An AWS Chatbot Slack channel that receives the stage's alarms (docs/operations.md). */
export interface SlackChannel {
  /** From the Chatbot console, after the workspace was authorised once by hand. */
  workspaceId: string;
  channelId: string;
}

/**
 * Who hears about the stage's alarms (and, later, its budget): the subscribers of its alarm
 * topic. E-mail subscriptions wait until the address confirms them (one click, once).
 */
export interface AlertSettings {
  emails: readonly string[];
  /**
   * Workspace and channel ids are facts of the company's Slack, not of the code: they come
   * from `LOCALSTAYS_SLACK_WORKSPACE_ID` and the stage's `LOCALSTAYS_SLACK_CHANNEL_<STAGE>`
   * (GitHub environment variables in the deploy jobs). Unset: no Slack channel.
   */
  slack: SlackChannel | undefined;
}

export interface BackupSettings {
  /** Daily backups, kept this many days. */
  dailyRetentionDays: number;
  /** Monthly backups (first of the month), kept this many days. */
  monthlyRetentionDays: number;
}

/**
 * The stage's e-mail (stacks/Mail.ts, stacks/Auth.ts). SES is switched on in order
 * (docs/operations.md): the first deploy creates the identity and prints its DNS records;
 * `sesSending` stays false until the identity is verified and the account has left the SES
 * sandbox, and until then the pool sends with Cognito's own mail (50 a day, from
 * no-reply@verificationemail.com) and host notifications wait in the outbox.
 */
export interface MailSettings {
  /** The SES identity: mail comes from this domain, signed with Easy DKIM. */
  domain: string;
  /** `no-reply@<domain>`. */
  fromAddress: string;
  fromName: string;
  /**
   * true: the pool sends through SES (DEVELOPER) and the outbox delivery runs. Set only once
   * SES shows the identity verified and the account has production access.
   */
  sesSending: boolean;
  /** Alarm on the configuration set's bounce rate (SES reviews an account at 5%, pauses at 10%). */
  bounceRate: AlarmSettings;
}

export interface StageSettings {
  stage: string;
  /** A personal stage is any stage name that is not one of the named stages. */
  personal: boolean;
  environment: Environment;
  /** Undefined only for prod when LOCALSTAYS_PROD_ACCOUNT_ID is not set. */
  account: string | undefined;
  region: string;
  logRetention: LogRetention;
  /** Deletion protection and RETAIN on the stateful resources. */
  protectData: boolean;
  /**
   * Point-in-time recovery on the table: prod's data, and staging, where disaster recovery
   * is rehearsed (`localstays restore`, docs/operations.md) on a table that has it too.
   */
  pointInTimeRecovery: boolean;
  /**
   * An AWS Backup plan for the table and the photo bucket (stacks/backup.ts); undefined: none.
   * Retention in days per rule; the bucket needs versioning (AWS Backup for S3 does).
   */
  backup: BackupSettings | undefined;
  /**
   * The stage's monthly AWS Budget in USD (stacks/Monitoring.ts), filtered on its `stage`
   * cost-allocation tag; alerts at 80% and 100% of it go to the alarm topic. Sized from
   * `localstays cost` (README, docs/operations.md) with headroom.
   */
  monthlyBudgetUsd: number;
  removalPolicy: RemovalPolicy;
  bucketVersioning: boolean;
  /** The dashboard's custom domain; undefined: it is served on its CloudFront domain only. */
  appDomain: AppDomain | undefined;
  /**
   * Origins the API and the photo bucket accept: the app domain's origin where the stage has
   * one, else any (`*`). Derived from `appDomain`, never set by hand.
   */
  corsOrigins: readonly string[];
  alarms: {
    api5xx: AlarmSettings;
    lambdaErrors: AlarmSettings;
    lambdaThrottles: AlarmSettings;
    /** The age in seconds of the oldest upload waiting for the image processor. */
    uploadsOldestAge: AlarmSettings;
  };
  /**
   * The HTTP API's throttles: the stage's default route settings and tighter limits on the
   * anonymous and upload routes (stacks/throttle.ts says which numbers and why). The local
   * gateway applies the same object.
   */
  throttle: ApiThrottle;
  alerts: AlertSettings;
  features: { ENABLE_FEATURE_X: boolean };
  mail: MailSettings;
  /**
   * X-Ray: every function's active tracing, and the Powertools tracer in the code (TRACING),
   * which captures the AWS SDK clients. On where traces are read (staging, prod); off on the
   * dev stages, where it would only cost (X-Ray bills per trace recorded).
   */
  tracing: boolean;
  /**
   * Undefined: the API's and the photo processor's functions are plain functions updated in
   * place (fast `sst dev`). Otherwise each runs a published version behind its `live` alias,
   * and CodeDeploy shifts the alias and rolls back on the function's alarms.
   */
  release: { shift: ReleaseShift } | undefined;
  /**
   * Only the pipeline changes the stage: `sst dev` (live Lambda would make every function,
   * the Cognito trigger included, a bridge to a laptop) and `sst remove` refuse it
   * (stacks/live-dev.ts). Shared stages that people depend on.
   */
  pipelineOnly: boolean;
  /**
   * Admin rights only for users with a verified TOTP authenticator (the API checks the pool
   * when a token names `admins`). Cognito's MFA is pool-wide and stays OPTIONAL, so hosts
   * and the smoke user sign in with a password alone.
   */
  adminTotpRequired: boolean;
  tags: Readonly<Record<"app" | "stage" | "cost-centre", string>>;
}

type Env = Record<string, string | undefined>;

/**
 * 15 minutes. With the per-host pending quota (30) a full host's photos take seconds at the
 * processor's concurrency (docs/photos.md): a message this old means the processor is not
 * keeping up at all (failing, throttled, or many hosts at once), long before SQS's 14-day
 * retention could drop anything.
 */
const UPLOADS_OLDEST_AGE: AlarmSettings = {
  threshold: 900,
  periodMinutes: 5,
  evaluationPeriods: 1,
};

const devAlarms: StageSettings["alarms"] = {
  api5xx: { threshold: 10, periodMinutes: 5, evaluationPeriods: 1 },
  lambdaErrors: { threshold: 10, periodMinutes: 5, evaluationPeriods: 1 },
  lambdaThrottles: { threshold: 10, periodMinutes: 5, evaluationPeriods: 1 },
  uploadsOldestAge: UPLOADS_OLDEST_AGE,
};

// A 5xx is a bug (ARCHITECTURE.md), so prod pages on the first few, not on a trend.
const prodAlarms: StageSettings["alarms"] = {
  api5xx: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  lambdaErrors: { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  lambdaThrottles: { threshold: 1, periodMinutes: 5, evaluationPeriods: 2 },
  uploadsOldestAge: UPLOADS_OLDEST_AGE,
};

type Profile = Omit<
  StageSettings,
  "stage" | "personal" | "account" | "tags" | "appDomain" | "corsOrigins" | "alerts" | "mail"
> & {
  /**
   * The sending domain (see MailSettings); omitted: `<stage>.dev.localstays.com`, an identity
   * nobody verifies (a personal stage keeps Cognito's mail and sends no notifications).
   */
  mailDomain?: string;
  /** Whether SES sends (MailSettings.sesSending): only once the identity is verified. */
  sesSending: boolean;
  /** The dashboard's domain name (see AppDomain); omitted: no custom domain, CORS `*`. */
  appDomainName?: string;
  /** Addresses subscribed to the alarm topic. */
  alertEmails: readonly string[];
  /** Whether the stage may have a Slack channel (its ids come from the environment). */
  slackAlerts: boolean;
};

const devProfile: Profile = {
  environment: "dev",
  region: DEV_REGION,
  logRetention: "one_week",
  protectData: false,
  pointInTimeRecovery: false,
  backup: undefined,
  monthlyBudgetUsd: 10,
  removalPolicy: RemovalPolicy.DESTROY,
  bucketVersioning: false,
  alarms: devAlarms,
  // Dev stages alarm into the topic for whoever subscribes by hand; nobody is paged.
  alertEmails: [],
  slackAlerts: false,
  features: { ENABLE_FEATURE_X: false },
  tracing: false,
  release: undefined,
  pipelineOnly: false,
  adminTotpRequired: false,
  sesSending: false,
  throttle: API_THROTTLES.dev,
};

/** SES reviews an account whose bounce rate reaches 5%: we hear of it first. */
const BOUNCE_RATE_ALARM: AlarmSettings = {
  threshold: 0.05,
  periodMinutes: 60,
  evaluationPeriods: 1,
};
const MAIL_ROOT_DOMAIN = "localstays.com";

const NAMED_STAGES = {
  dev1: {
    ...devProfile,
    monthlyBudgetUsd: 15,
    features: { ENABLE_FEATURE_X: true },
    mailDomain: "dev1.localstays.com",
  },
  staging: {
    ...devProfile,
    environment: "staging",
    // Where restores are rehearsed: the same PITR as prod, no backup plan (test data).
    pointInTimeRecovery: true,
    monthlyBudgetUsd: 20,
    mailDomain: "staging.localstays.com",
    alertEmails: ["alerts+staging@localstays.com"],
    slackAlerts: true,
    tracing: true,
    // Prod's release path, shifted at once: exercised on every staging deploy.
    release: { shift: "all-at-once" },
    pipelineOnly: true,
    // Staging holds the same kind of admin accounts as prod.
    adminTotpRequired: true,
    throttle: API_THROTTLES.staging,
  },
  prod: {
    environment: "prod",
    region: PROD_REGION,
    logRetention: "one_month",
    protectData: true,
    pointInTimeRecovery: true,
    // PITR covers 35 days to the second; the plan adds copies that outlive a deleted table
    // and the only backup of the photos (docs/operations.md, "Disaster recovery").
    backup: { dailyRetentionDays: 35, monthlyRetentionDays: 365 },
    monthlyBudgetUsd: 100,
    removalPolicy: RemovalPolicy.RETAIN,
    bucketVersioning: true,
    appDomainName: "app.localstays.com",
    mailDomain: MAIL_ROOT_DOMAIN,
    // Switched on once localstays.com is verified in SES and the account left the sandbox.
    sesSending: false,
    alarms: prodAlarms,
    alertEmails: ["alerts@localstays.com"],
    slackAlerts: true,
    features: { ENABLE_FEATURE_X: false },
    tracing: true,
    release: { shift: "canary-10-percent-5-minutes" },
    pipelineOnly: true,
    adminTotpRequired: true,
    throttle: API_THROTTLES.prod,
  },
} as const satisfies Record<string, Profile>;

export type NamedStage = keyof typeof NAMED_STAGES;
export const namedStages = Object.keys(NAMED_STAGES) as NamedStage[];

function isNamedStage(stage: string): stage is NamedStage {
  return Object.hasOwn(NAMED_STAGES, stage);
}

function accountFromEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!/^\d{12}$/.test(value)) {
    throw new Error(`${name} must be a 12-digit AWS account id, got "${value}"`);
  }
  return value;
}

function slackIdFromEnv(env: Env, name: string, pattern: RegExp): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (!pattern.test(value)) throw new Error(`${name} is not a Slack id: "${value}"`);
  return value;
}

/**
 * The stage's Slack channel when its channel id is set. The workspace is shared by the
 * stages; a channel without it is a mistake.
 */
function slackChannel(env: Env, stage: string): SlackChannel | undefined {
  const workspaceName = "LOCALSTAYS_SLACK_WORKSPACE_ID";
  const channelName = `LOCALSTAYS_SLACK_CHANNEL_${stage.toUpperCase()}`;
  const workspaceId = slackIdFromEnv(env, workspaceName, /^T[A-Z0-9]{8,}$/);
  const channelId = slackIdFromEnv(env, channelName, /^[CG][A-Z0-9]{8,}$/);
  if (!channelId) return undefined;
  if (!workspaceId) throw new Error(`${channelName} needs ${workspaceName} too.`);
  return { workspaceId, channelId };
}

/** The environment variable holding the account of a stage of this environment. */
export function accountVariable(environment: Environment) {
  return environment === "prod" ? "LOCALSTAYS_PROD_ACCOUNT_ID" : "LOCALSTAYS_DEV_ACCOUNT_ID";
}

/**
 * The settings of `stage`; `env` is read for the account ids and the Slack channel ids
 * (defaults to process.env).
 */
export function stageSettings(stage: string, env: Env = process.env): StageSettings {
  const profile: Profile = isNamedStage(stage) ? NAMED_STAGES[stage] : devProfile;
  const fromEnv = accountFromEnv(env, accountVariable(profile.environment));
  const account = profile.environment === "prod" ? fromEnv : (fromEnv ?? SEED_DEV_ACCOUNT);
  const { appDomainName, alertEmails, slackAlerts, mailDomain, sesSending, ...settings } = profile;
  const domain = mailDomain ?? `${stage.toLowerCase()}.dev.${MAIL_ROOT_DOMAIN}`;
  const appDomain: AppDomain | undefined = appDomainName
    ? {
        domainName: appDomainName,
        certificateArnParameter: `/${APP_NAME}/${stage}/app-domain/certificate-arn`,
      }
    : undefined;
  return {
    ...settings,
    stage,
    personal: !isNamedStage(stage),
    account,
    appDomain,
    corsOrigins: appDomain ? [`https://${appDomain.domainName}`] : ["*"],
    alerts: { emails: alertEmails, slack: slackAlerts ? slackChannel(env, stage) : undefined },
    mail: {
      domain,
      fromAddress: `no-reply@${domain}`,
      fromName: "Localstays",
      sesSending,
      bounceRate: BOUNCE_RATE_ALARM,
    },
    tags: { app: APP_NAME, stage, "cost-centre": `${APP_NAME}-${profile.environment}` },
  };
}

/** The seed's CloudFormation stack names: `LocalstaysStagingApiStack`. */
export function stackName(stage: string, id: string): string {
  const pascalStage = stage.charAt(0).toUpperCase() + stage.slice(1);
  return `Localstays${pascalStage}${id}Stack`;
}

/**
 * Refuses a deployment whose target does not belong to the stage: prod only into the
 * configured prod account, dev1 and staging only into the dev account, no other stage into
 * the prod account (it would share prod's blast radius and bill), and a named stage only
 * into its own region. Personal stages may use any other account (a developer's sandbox).
 * Called before any stack is built.
 */
export function assertDeployTarget(
  settings: StageSettings,
  target: { account: string | undefined; region?: string },
  env: Env = process.env,
): void {
  const { stage } = settings;
  const { account, region } = target;
  if (!settings.personal && region !== undefined && region !== settings.region) {
    throw new Error(
      `Refusing to deploy stage "${stage}" to region ${region}: it lives in ${settings.region}.`,
    );
  }
  if (settings.environment === "prod") {
    const prodAccount = settings.account;
    if (!prodAccount) {
      throw new Error(
        `Refusing to deploy stage "${stage}": the prod account is not configured. ` +
          "Set LOCALSTAYS_PROD_ACCOUNT_ID to the 12-digit prod account id.",
      );
    }
    if (account !== prodAccount) {
      throw new Error(
        `Refusing to deploy stage "${stage}" to account ${account ?? "(unknown)"}: ` +
          `prod deploys only to account ${prodAccount} (LOCALSTAYS_PROD_ACCOUNT_ID). ` +
          "Check the AWS credentials of this shell or pipeline.",
      );
    }
    return;
  }
  const configuredProd = accountFromEnv(env, "LOCALSTAYS_PROD_ACCOUNT_ID");
  if (configuredProd && account === configuredProd) {
    throw new Error(
      `Refusing to deploy stage "${stage}" to the prod account ${account}: ` +
        "only the prod stage may live there.",
    );
  }
  if (!settings.personal && account !== settings.account) {
    throw new Error(
      `Refusing to deploy stage "${stage}" to account ${account ?? "(unknown)"}: ` +
        `it lives in the dev account ${settings.account} (${accountVariable("dev")}, default ` +
        `${SEED_DEV_ACCOUNT}). Check the AWS credentials of this shell or pipeline, or set ` +
        `${accountVariable("dev")} to the dev account's 12-digit id.`,
    );
  }
}
