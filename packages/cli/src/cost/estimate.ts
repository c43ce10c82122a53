import { FREE_TIER, PRICES_AS_OF, PRICES_SOURCE, pricesFor } from "./prices.js";

/**
 * A stage's monthly cost from its synthesized CloudFormation templates and a usage profile:
 * what the templates contain (functions and their memory, alarms, keys, PITR, backup plans,
 * budgets) times what the profile says the stage is used, priced from prices.ts. One line
 * per resource type; the always-free tier apart, because stages sharing an account share it.
 */
export interface UsageProfile {
  /** API requests a month (each one Lambda invocation). */
  requests: number;
  /** Photos uploaded a month (each one processor run, an original and 4 variants). */
  photos: number;
  /** Photos stored in S3, GB. */
  storedGb: number;
  /** Table size, GB. */
  tableGb: number;
  /** Cognito monthly active users. */
  mau: number;
  /** E-mails a month (Cognito's own and, once the outbox lands, the app's). */
  emails: number;
}

export const PROFILES = {
  /** A staging or dev stage: the team, smoke tests and CI. */
  quiet: { requests: 50_000, photos: 200, storedGb: 1, tableGb: 0.05, mau: 20, emails: 50 },
  /** The first months in prod. */
  launch: {
    requests: 2_000_000,
    photos: 5_000,
    storedGb: 20,
    tableGb: 1,
    mau: 2_000,
    emails: 5_000,
  },
  busy: {
    requests: 30_000_000,
    photos: 50_000,
    storedGb: 200,
    tableGb: 10,
    mau: 30_000,
    emails: 60_000,
  },
} as const satisfies Record<string, UsageProfile>;
export type ProfileName = keyof typeof PROFILES;

/**
 * Per-request and per-photo assumptions, from the code and docs/performance.md: an API call
 * runs ~120 ms and reads ~4 and writes ~0.3 capacity units; a page of results shows ~2
 * variants through the CDN at ~60 KB; a photo takes ~1 s of the processor (bench:images)
 * and is stored as 5 objects.
 */
export const ASSUMPTIONS = {
  apiSeconds: 0.12,
  readUnitsPerRequest: 4,
  writeUnitsPerRequest: 0.3,
  writeUnitsPerPhoto: 4,
  imagesPerRequest: 2,
  imageKb: 60,
  processorSeconds: 1,
  objectsPerPhoto: 5,
  logKbPerRequest: 1.5,
  logKbPerPhoto: 2,
  /** DynamoDB and SNS ask KMS for a data key now and then, not per request. */
  kmsRequestsPerKey: 10_000,
  containerImageGb: 0.3,
  /**
   * Lambda's SQS event source long-polls the queue whether or not uploads come: ~5 pollers,
   * a 20-second ReceiveMessage each, all month.
   */
  sqsPollsPerMonth: 5 * (86_400 / 20) * 30,
} as const;

export interface CostLine {
  /** `AWS::Lambda::Function` or a service name where no resource type fits. */
  resource: string;
  what: string;
  usd: number;
  /** The always-free tier's share of `usd` (never more). */
  freeUsd: number;
}

export interface Estimate {
  stage: string;
  region: string;
  profile: ProfileName;
  lines: CostLine[];
  grossUsd: number;
  freeUsd: number;
  netUsd: number;
  pricesAsOf: string;
  pricesSource: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is arbitrary JSON.
type Template = Record<string, any>;
type Resource = { Type: string; Properties?: Template };

export interface StacksInput {
  stage: string;
  region: string;
  stacks: Record<string, { template: Template }>;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

function allResources(input: StacksInput): Resource[] {
  return Object.values(input.stacks).flatMap(({ template }) =>
    Object.values((template.Resources ?? {}) as Record<string, Resource>),
  );
}

export function estimate(input: StacksInput, profileName: ProfileName): Estimate {
  const usage: UsageProfile = PROFILES[profileName];
  const price = pricesFor(input.region);
  const a = ASSUMPTIONS;
  const resources = allResources(input);
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const lines: CostLine[] = [];
  const add = (resource: string, what: string, usd: number, freeUsd = 0) =>
    lines.push({ resource, what, usd: round(usd), freeUsd: round(Math.min(freeUsd, usd)) });

  // Lambda: the API's functions (zip, ours) per request, the processor (image) per photo.
  const functions = ofType("AWS::Lambda::Function");
  const api = functions.filter((fn) =>
    String(fn.Properties?.Handler ?? "").startsWith("packages/functions/src/api/"),
  );
  const processors = functions.filter((fn) => fn.Properties?.PackageType === "Image");
  if (api.length || processors.length) {
    const apiMemoryGb =
      api.reduce((sum, fn) => sum + Number(fn.Properties?.MemorySize ?? 1024), 0) /
      Math.max(api.length, 1) /
      1024;
    const processorMemoryGb = Number(processors[0]?.Properties?.MemorySize ?? 1769) / 1024;
    const invocations = (api.length ? usage.requests : 0) + (processors.length ? usage.photos : 0);
    const apiGbSeconds = api.length ? usage.requests * a.apiSeconds * apiMemoryGb : 0;
    const processorGbSeconds = processors.length
      ? usage.photos * a.processorSeconds * processorMemoryGb
      : 0;
    const requestsUsd = (invocations / 1e6) * price.lambda.perMillionRequests;
    const computeUsd =
      apiGbSeconds * price.lambda.perGbSecondArm + processorGbSeconds * price.lambda.perGbSecondX86;
    const freeUsd =
      (Math.min(invocations, FREE_TIER.lambdaRequests) / 1e6) * price.lambda.perMillionRequests +
      Math.min(apiGbSeconds + processorGbSeconds, FREE_TIER.lambdaGbSeconds) *
        price.lambda.perGbSecondArm;
    add(
      "AWS::Lambda::Function",
      `${api.length} API functions at ${Math.round(apiMemoryGb * 1024)} MB, ${processors.length} processor: ` +
        `${invocations.toLocaleString("en")} invocations, ${Math.round(apiGbSeconds + processorGbSeconds).toLocaleString("en")} GB-s`,
      requestsUsd + computeUsd,
      freeUsd,
    );
  }
  if (ofType("AWS::ApiGatewayV2::Api").length) {
    add(
      "AWS::ApiGatewayV2::Api",
      `${usage.requests.toLocaleString("en")} HTTP API requests`,
      (usage.requests / 1e6) * price.httpApiPerMillion,
    );
  }
  for (const table of ofType("AWS::DynamoDB::Table")) {
    const reads = usage.requests * a.readUnitsPerRequest;
    const writes = usage.requests * a.writeUnitsPerRequest + usage.photos * a.writeUnitsPerPhoto;
    const pitr = table.Properties?.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled;
    const storageUsd = usage.tableGb * price.dynamodb.perGbMonth;
    add(
      "AWS::DynamoDB::Table",
      `on demand: ${Math.round(reads).toLocaleString("en")} reads, ${Math.round(writes).toLocaleString("en")} writes, ${usage.tableGb} GB`,
      (reads / 1e6) * price.dynamodb.perMillionReads +
        (writes / 1e6) * price.dynamodb.perMillionWrites +
        storageUsd,
      Math.min(usage.tableGb, FREE_TIER.dynamodbGb) * price.dynamodb.perGbMonth,
    );
    if (pitr) {
      add(
        "AWS::DynamoDB::Table (PITR)",
        `point-in-time recovery of ${usage.tableGb} GB`,
        usage.tableGb * price.dynamodb.pitrPerGbMonth,
      );
    }
  }
  if (ofType("AWS::S3::Bucket").length) {
    const objects = usage.photos * a.objectsPerPhoto;
    add(
      "AWS::S3::Bucket",
      `${usage.storedGb} GB of photos, ${objects.toLocaleString("en")} puts and gets`,
      usage.storedGb * price.s3.perGbMonth +
        (objects / 1000) * (price.s3.perThousandPuts + price.s3.perThousandGets),
    );
  }
  if (ofType("AWS::CloudFront::Distribution").length) {
    const fetches = usage.requests * a.imagesPerRequest;
    const gb = (fetches * a.imageKb) / 1024 / 1024;
    const usd =
      gb * price.cloudfront.perGb + (fetches / 10_000) * price.cloudfront.perTenThousandHttps;
    const free =
      Math.min(gb, FREE_TIER.cloudfrontGb) * price.cloudfront.perGb +
      (Math.min(fetches, FREE_TIER.cloudfrontRequests) / 10_000) *
        price.cloudfront.perTenThousandHttps;
    add(
      "AWS::CloudFront::Distribution",
      `${fetches.toLocaleString("en")} image requests, ${gb.toFixed(1)} GB`,
      usd,
      free,
    );
  }
  if (ofType("AWS::Cognito::UserPool").length) {
    add(
      "AWS::Cognito::UserPool",
      `${usage.mau.toLocaleString("en")} monthly active users (Essentials); ${usage.emails.toLocaleString("en")} e-mails by Cognito's own sender, free`,
      usage.mau * price.cognitoPerMau,
      Math.min(usage.mau, FREE_TIER.cognitoMau) * price.cognitoPerMau,
    );
  }
  const keys = ofType("AWS::KMS::Key").length;
  if (keys) {
    const requests = keys * a.kmsRequestsPerKey;
    add(
      "AWS::KMS::Key",
      `${keys} customer-managed key(s), ~${requests.toLocaleString("en")} requests`,
      keys * price.kms.perKeyMonth + (requests / 10_000) * price.kms.perTenThousandRequests,
      (Math.min(requests, FREE_TIER.kmsRequests) / 10_000) * price.kms.perTenThousandRequests,
    );
  }
  const alarms = ofType("AWS::CloudWatch::Alarm").length;
  if (alarms) {
    add(
      "AWS::CloudWatch::Alarm",
      `${alarms} standard alarms`,
      alarms * price.cloudwatch.perAlarmMonth,
      Math.min(alarms, FREE_TIER.cloudwatchAlarms) * price.cloudwatch.perAlarmMonth,
    );
  }
  const logGb = (usage.requests * a.logKbPerRequest + usage.photos * a.logKbPerPhoto) / 1024 / 1024;
  add(
    "CloudWatch Logs",
    `${logGb.toFixed(2)} GB ingested (functions and API access log)`,
    logGb * price.cloudwatch.logsPerGbIngested,
    Math.min(logGb, FREE_TIER.logsGb) * price.cloudwatch.logsPerGbIngested,
  );
  if (ofType("AWS::SQS::Queue").length) {
    const polls = ofType("AWS::Lambda::EventSourceMapping").length * a.sqsPollsPerMonth;
    const requests = usage.photos * 4 + polls;
    add(
      "AWS::SQS::Queue",
      `${requests.toLocaleString("en")} requests, ${polls.toLocaleString("en")} of them the event source's long polls`,
      (requests / 1e6) * price.sqsPerMillion,
      (Math.min(requests, FREE_TIER.sqsRequests) / 1e6) * price.sqsPerMillion,
    );
  }
  if (processors.length) {
    add(
      "ECR (container image)",
      `${processors.length} image(s) of ~${a.containerImageGb} GB`,
      processors.length * a.containerImageGb * price.ecrPerGbMonth,
    );
  }
  const budgets = ofType("AWS::Budgets::Budget").length;
  if (budgets) {
    add(
      "AWS::Budgets::Budget",
      `${budgets} budget(s); an account's first ${FREE_TIER.budgets} are free`,
      budgets * 30 * price.budgetPerDay,
      Math.min(budgets, FREE_TIER.budgets) * 30 * price.budgetPerDay,
    );
  }
  for (const plan of ofType("AWS::Backup::BackupPlan")) {
    const rules = (plan.Properties?.BackupPlan?.BackupPlanRule ?? []) as {
      ScheduleExpression?: string;
      Lifecycle?: { DeleteAfterDays?: number };
    }[];
    // DynamoDB backups are full copies: as many as each rule keeps; S3's are incremental.
    const copies = rules.reduce((sum, rule) => {
      const days = rule.Lifecycle?.DeleteAfterDays ?? 0;
      const monthly = /cron\(\S+ \S+ 1 /.test(rule.ScheduleExpression ?? "");
      return sum + (monthly ? Math.ceil(days / 30) : days);
    }, 0);
    add(
      "AWS::Backup::BackupPlan",
      `${copies} table backups of ${usage.tableGb} GB, photos (${usage.storedGb} GB, incremental)`,
      copies * usage.tableGb * price.dynamodb.backupPerGbMonth +
        usage.storedGb * price.s3.backupPerGbMonth,
    );
  }
  const grossUsd = round(lines.reduce((sum, line) => sum + line.usd, 0));
  const freeUsd = round(lines.reduce((sum, line) => sum + line.freeUsd, 0));
  return {
    stage: input.stage,
    region: input.region,
    profile: profileName,
    lines,
    grossUsd,
    freeUsd,
    netUsd: round(grossUsd - freeUsd),
    pricesAsOf: PRICES_AS_OF,
    pricesSource: PRICES_SOURCE,
  };
}

const usd = (value: number) => `$${value.toFixed(2)}`;

export function formatEstimate(estimate: Estimate): string {
  const width = Math.max(...estimate.lines.map((line) => line.resource.length));
  const rows = estimate.lines.map(
    (line) =>
      `  ${line.resource.padEnd(width)}  ${usd(line.usd).padStart(9)}  ${line.freeUsd ? `(free tier ${usd(line.freeUsd)})` : ""}`.trimEnd() +
      `\n  ${" ".repeat(width)}  ${line.what}`,
  );
  return [
    `Stage ${estimate.stage} (${estimate.region}), profile ${estimate.profile}: monthly estimate`,
    ...rows,
    `  ${"Total before free tier".padEnd(width)}  ${usd(estimate.grossUsd).padStart(9)}`,
    `  ${"Always-free tier (per account)".padEnd(width)}  ${usd(-estimate.freeUsd).padStart(9)}`,
    `  ${"Total".padEnd(width)}  ${usd(estimate.netUsd).padStart(9)}`,
    `Prices as of ${estimate.pricesAsOf}: ${estimate.pricesSource}. The free tier is shared by the stages of one account.`,
  ].join("\n");
}
