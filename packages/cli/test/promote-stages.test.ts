import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PROD_ACCOUNT, prodEnv } from "../../../stacks/test/expectations.js";
import { promoteCheck } from "../src/commands/promote-check.js";
import type { Change } from "../src/promote/classify.js";
import type { Report } from "../src/promote/compare.js";
import type { RowId } from "../src/promote/matrix.js";
import { renderJson, renderMarkdown, renderText } from "../src/promote/render.js";

/**
 * The real app, dev1 against prod: every difference must be one stacks/stage.ts intends,
 * written out here literally (as stacks/test/expectations.ts does), and nothing may come
 * from the stage names, the accounts, the regions or the asset hashes. Synthesizes the app
 * twice in this process (SST allows one synthesis at a time per process), in the environment of
 * the infra specs (prodEnv), so that the run's synthesis cache serves both from theirs.
 */
const RETAIN = /^(DeletionPolicy|UpdateReplacePolicy): \+ "Retain"$/;
const PROD_ORIGIN = '"\\*" -> "https://app\\.localstays\\.com"';
/** Prod's dashboard has its own domain (stacks/stage.ts appDomain); dev1's is CloudFront's. */
const CLOUDFRONT_URL = '\\{"Fn::Join":\\["",\\["https://",\\{"Fn::GetAtt":\\["SiteDistribution.*';
const SITE_URL = `${CLOUDFRONT_URL} -> "https://app\\.localstays\\.com"`;

const INTENDED: Partial<Record<RowId, RegExp[]>> = {
  environment: [
    /^Environment\.Variables\.ENABLE_FEATURE_X: "true" -> "false"$/,
    // Prod traces (stacks/stage.ts tracing) and makes admins use TOTP (adminTotpRequired).
    /^Environment\.Variables\.TRACING: "false" -> "true"$/,
    /^Environment\.Variables\.ADMIN_TOTP_REQUIRED: "false" -> "true"$/,
    // Prod's mail comes from the apex domain, dev1's from its own (stacks/stage.ts mail).
    /^Environment\.Variables\.MAIL_FROM: "Localstays <no-reply@<stage>\.localstays\.com>" -> "Localstays <no-reply@localstays\.com>"$/,
  ],
  "lambda-config": [/^TracingConfig: \+ \{"Mode":"Active"\}$/],
  iam: [
    // X-Ray's own write rights, for tracing.
    /^PolicyDocument\.Statement: \+ \{"Action":\["xray:PutTraceSegments","xray:PutTelemetryRecords"\]/,
    // The API reads whether an admin has TOTP set up (AdminGetUser on this stage's pool).
    /^PolicyDocument\.Statement: \+ \{"Action":"cognito-idp:AdminGetUser","Effect":"Allow","Resource":\{"Fn::ImportVa/,
  ],
  ssm: [new RegExp(`^Value: ${SITE_URL}$`)],
  tags: [
    /^Tags\[cost-centre\]\.Value: "localstays-dev" -> "localstays-<stage>"$/,
    /^(Tags|UserPoolTags)\.cost-centre: "localstays-dev" -> "localstays-<stage>"$/,
    // Prod keeps its buckets' objects: no auto-delete custom resource to mark them for.
    /^Tags\[aws-cdk:auto-delete-objects\]: - /,
    // Prod's AWS Backup plan selects the table and the photo bucket by this tag.
    /^Tags(\[localstays:backup\]|\.localstays:backup): \+ /,
  ],
  logs: [/^RetentionInDays: 7 -> 30$/, RETAIN],
  "dynamodb-settings": [
    /^DeletionProtectionEnabled: false -> true$/,
    /^PointInTimeRecoverySpecification\.PointInTimeRecoveryEnabled: false -> true$/,
    RETAIN,
  ],
  kms: [/^PendingWindowInDays: 7 -> 30$/, RETAIN],
  cognito: [/^DeletionProtection: "INACTIVE" -> "ACTIVE"$/, RETAIN],
  "s3-bucket": [
    new RegExp(`^CorsConfiguration\\.CorsRules\\[0\\]\\.AllowedOrigins\\[0\\]: ${PROD_ORIGIN}$`),
    /^VersioningConfiguration: \+ \{"Status":"Enabled"\}$/,
    /^LifecycleConfiguration\.Rules\[expire-old-versions\]: \+ /,
    /^LifecycleConfiguration\.Rules\[0\]\.ExpirationInDays: 30 -> 365$/,
    // The auto-delete provider's grant leaves the bucket policies with it.
    /^PolicyDocument\.Statement: - \{"Action":\["s3:PutBucketPolicy","s3:GetBucket\*","s3:List\*","s3:DeleteObject\*"\]/,
    RETAIN,
  ],
  "api-routes": [
    new RegExp(`^CorsConfiguration\\.AllowOrigins\\[0\\]: ${PROD_ORIGIN}$`),
    // Prod's routes invoke their function's live alias (isRelease).
    /^(IntegrationUri|FunctionName)\.Fn::GetAtt: - \["ApiLambda\w+","Arn"\]$/,
    /^(IntegrationUri|FunctionName)\.Ref: \+ "ApiLambda\w+Live[0-9A-F]{8}"$/,
    // Prod's throttles (stacks/throttle.ts): 300/600 a second, public reads 100/200.
    /^DefaultRouteSettings\.Throttling(RateLimit: 100 -> 300|BurstLimit: 200 -> 600)$/,
    /^RouteSettings\.GET \/api\/v1\/listings(\/\{listingId\})?\.Throttling(RateLimit: 50 -> 100|BurstLimit: 100 -> 200)$/,
  ],
  cdn: [
    new RegExp(`AllowOrigins\\.Items\\[0\\]: ${PROD_ORIGIN}$`),
    /^DistributionConfig\.Aliases: \+ "app\.localstays\.com"$/,
    // The certificate's ARN comes from the SSM parameter below, TLS 1.2 from 2021 at least.
    /^DistributionConfig\.ViewerCertificate: \+ \{"AcmCertificateArn":\{"Ref":"SsmParameterValue/,
  ],
  outputs: [
    new RegExp(`^Value\\.Value: ${SITE_URL}$`),
    /^Value\.Value: "(no-reply@)?<stage>\.localstays\.com" -> "(no-reply@)?localstays\.com"$/,
    /^Value\.Description: "DKIM record \d of <stage>\.localstays\.com" -> "DKIM record \d of localstays\.com"$/,
  ],
  alarms: [/^Threshold: 10 -> 1$/, /^EvaluationPeriods: 1 -> 2$/],
  // The stage's budget (stacks/stage.ts monthlyBudgetUsd).
  other: [
    /^Budget\.BudgetLimit\.Amount: 15 -> 100$/,
    /^EmailIdentity: "<stage>\.localstays\.com" -> "localstays\.com"$/,
  ],
};

/** Prod's AWS Backup plan (stacks/backup.ts): vault, plan, tag selection and its role. */
const isBackup = (change: Change) =>
  change.resourceType.startsWith("AWS::Backup::") ||
  (change.resourceType === "AWS::IAM::Role" && /^BackupRole[0-9A-F]{8}$/.test(change.logicalId));
/** The backup role's grants: AWS Backup's own service-role policies, assumed by backup only. */
const isBackupGrant = (line: string) =>
  /backup\.amazonaws\.com|AWSBackupServiceRolePolicy/.test(line);

/**
 * The one thing prod adds: the template parameter through which CloudFormation reads the
 * dashboard certificate's ARN from SSM at deploy time.
 */
const isCertificateParameter = (change: Change) =>
  change.stack === "Web" &&
  change.row === "ssm" &&
  /^SsmParameterValuelocalstays\w+appdomaincertificatearn[0-9A-F]+Parameter$/.test(
    change.logicalId,
  ) &&
  change.details.every((line) =>
    line.includes(': + {"Type":"AWS::SSM::Parameter::Value<String>","Default":"/localstays/'),
  );

/** Prod pages a person by e-mail (stacks/stage.ts alerts); dev1 has no subscriber. */
const isAlertSubscription = (change: Change) =>
  change.stack === "Monitoring" &&
  change.resourceType === "AWS::SNS::Subscription" &&
  change.row === "notifications" &&
  // CDK names the subscription after its topic and address: prod's alerts@localstays.com.
  /^AlarmTopicalertslocalstayscom[0-9A-F]*$/.test(change.logicalId);

/** Prod's alarms also go to a Slack channel through AWS Chatbot (stacks/stage.ts alerts). */
const isAlertChannel = (change: Change) =>
  change.stack === "Monitoring" && change.logicalId.startsWith("AlarmSlackChannel");
/** The channel's role: assumed by Chatbot only (its guardrail is ReadOnlyAccess). */
const isAlertChannelGrant = (line: string) => /chatbot\.amazonaws\.com/.test(line);

/**
 * Functions that had no policy of their own in dev1 (the health route, the CustomMessage
 * trigger) get one in prod for X-Ray alone (its rights are checked with the other grants);
 * the Auth stack exports the pool's ARN for the API's AdminGetUser right.
 */
const isTracingPolicy = (change: Change) =>
  change.resourceType === "AWS::IAM::Policy" && /ServiceRoleDefaultPolicy/.test(change.logicalId);
const isPoolArnExport = (change: Change) =>
  change.stack === "Auth" && /^ExportsOutputFnGetAttAuthUserPool\w+Arn/.test(change.logicalId);
/** X-Ray's write rights, and the API's right to read whether an admin has TOTP set up. */
const isTracingOrTotpGrant = (line: string) =>
  /: \+ Allow xray:PutTelemetryRecords, xray:PutTraceSegments on \* for /.test(line) ||
  /^Api: \+ Allow cognito-idp:AdminGetUser on \{"Fn::ImportValue":"Localstays<Stage>AuthStack:ExportsOutputFnGetAttAuthUserPool/.test(
    line,
  );
/** Each stage mails from its own domain: prod's SES identity is another one. */
const isMailIdentity = (change: Change) =>
  change.stack === "Mail" && change.resourceType === "AWS::SES::EmailIdentity";

/**
 * Prod releases its route functions and photo processor through CodeDeploy (stacks/stage.ts
 * `release`): versions, live aliases, deployment groups and their service roles, and the
 * queue's event source on the alias. dev1 runs plain functions.
 */
const isRelease = (change: Change) =>
  change.row === "releases" ||
  (change.resourceType === "AWS::IAM::Role" &&
    /ReleaseServiceRole[0-9A-F]{8}$/.test(change.logicalId)) ||
  (change.resourceType === "AWS::Lambda::EventSourceMapping" &&
    change.logicalId.startsWith("ImageProcessorLive"));
/** dev1's queue feeds the processor itself, prod's its live alias (isRelease). */
const isPlainEventSource = (change: Change) =>
  change.resourceType === "AWS::Lambda::EventSourceMapping" &&
  change.logicalId.startsWith("ImageProcessorSqsEventSource");
/** The IAM prod adds for its releases: CodeDeploy's roles, API Gateway's right on the aliases. */
const isReleaseGrant = (line: string) =>
  /codedeploy\.amazonaws\.com|AWSCodeDeployRoleForLambdaLimited|Live[0-9A-F]{8}/.test(line);

/** Prod has no S3 auto-delete (protectData): its custom resources and provider go. */
const isAutoDelete = (change: Change) =>
  change.resourceType === "Custom::S3AutoDeleteObjects" ||
  change.logicalId.startsWith("CustomS3AutoDeleteObjectsCustomResourceProvider");

describe("promote-check --from dev1 --to prod on the real app", () => {
  let report: Report;
  const log: string[] = [];

  beforeAll(async () => {
    for (const [name, value] of Object.entries(prodEnv)) vi.stubEnv(name, value);
    report = await promoteCheck({ from: "dev1", to: "prod" }, (line) => log.push(line));
  }, 900_000);
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("finds no hard stop, no broadened permission and no code or image change", () => {
    expect(report.mode).toBe("stages");
    expect(report.fingerprints).toBe(true);
    expect(report.hardStops).toEqual([]);
    const grants = report.approvals.flatMap((a) =>
      a.statements.map((line) => `${a.stack}: ${line}`),
    );
    expect(
      grants.filter(
        (line) =>
          !isReleaseGrant(line) &&
          !isBackupGrant(line) &&
          !isAlertChannelGrant(line) &&
          !isTracingOrTotpGrant(line),
      ),
    ).toEqual([]);
    expect(report.verdict).toBe(grants.length ? "needs-approval" : "ok");
    const code = report.changes.filter((c) => c.row === "lambda-code" || c.row === "docker-image");
    expect(code.map((c) => `${c.stack}/${c.logicalId}: ${c.details.join("; ")}`)).toEqual([]);
  });

  it("lists only the differences stacks/stage.ts intends, each in its matrix row", () => {
    const unintended = report.changes.filter((change) => {
      if (change.action === "remove") return !isAutoDelete(change) && !isPlainEventSource(change);
      if (change.action === "add")
        return (
          !isCertificateParameter(change) &&
          !isAlertSubscription(change) &&
          !isAlertChannel(change) &&
          !isTracingPolicy(change) &&
          !isPoolArnExport(change) &&
          !isRelease(change) &&
          !isBackup(change)
        );
      // API Gateway's invoke right moves to the alias: a new permission replaces the old.
      const aliasPermission =
        change.action === "replace" && change.resourceType === "AWS::Lambda::Permission";
      const mailIdentity = change.action === "replace" && isMailIdentity(change);
      if (change.action !== "modify" && !aliasPermission && !mailIdentity) return true;
      const allowed = INTENDED[change.row] ?? [];
      return !change.details.every((line) => allowed.some((pattern) => pattern.test(line)));
    });
    expect(
      unintended.map(
        (c) => `${c.stack}/${c.logicalId} ${c.action} [${c.row}] ${c.details.join("; ")}`,
      ),
    ).toEqual([]);
  });

  it("turns feature X off in every function (its one mechanism: the environment)", () => {
    const environment = report.changes.filter((c) => c.row === "environment");
    // Every function but the framework's own (SST's custom-resource handler, CDK's providers).
    expect(environment.length).toBeGreaterThanOrEqual(20);
    expect(new Set(environment.map((c) => c.stack))).toEqual(
      new Set(["Images", "Auth", "Api", "Mail"]),
    );
    expect(report.changes.filter((c) => c.row === "ssm")).toEqual([
      // SST's binding parameter of the site's URL: prod's is its custom domain.
      expect.objectContaining({
        stack: "Web",
        logicalId: expect.stringMatching(/^SiteParameterurl/),
        details: [expect.stringMatching(new RegExp(`^Value: ${SITE_URL}$`))],
      }),
      // The template parameter through which prod reads its certificate's ARN from SSM.
      expect.objectContaining({ stack: "Web", resourceType: "parameters", action: "add" }),
    ]);
  });

  it("states the per-stage settings behind them and both targets", () => {
    expect(report.before).toMatchObject({
      stage: "dev1",
      account: "041608526793",
      region: "eu-north-1",
    });
    expect(report.after).toMatchObject({
      stage: "prod",
      account: PROD_ACCOUNT,
      region: "eu-central-1",
    });
    const settings = Object.fromEntries(report.settings.map((s) => [s.key, [s.before, s.after]]));
    expect(settings).toMatchObject({
      protectData: ["false", "true"],
      logRetention: ["one_week", "one_month"],
      "features.ENABLE_FEATURE_X": ["true", "false"],
      corsOrigins: ['["*"]', '["https://app.localstays.com"]'],
    });
  });

  it("deploys each stack with `pnpm sst deploy <StackId> --stage prod`, in dependency order", () => {
    const ids = report.stacks.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(["Params", "Data", "Storage"]);
    expect(ids.indexOf("Api")).toBeLessThan(ids.indexOf("Monitoring"));
    for (const stack of report.stacks) {
      expect(stack.command).toBe(`pnpm sst deploy ${stack.id} --stage prod`);
      expect(stack.stackName).toBe(`LocalstaysProd${stack.id}Stack`);
    }
  });

  it("renders the report as text, as Markdown for a job summary and as JSON", () => {
    const text = renderText(report);
    expect(text).toMatch(/^promote-check: dev1 -> prod\n/);
    expect(text).toContain(
      "Environment vars  [risk Low, ~10 min; rollback: Redeploy previous version]",
    );
    expect(text).toContain("  deploy: pnpm sst deploy Data --stage prod");
    // Prod's release roles are new IAM (isReleaseGrant): reviewed, as any broadening is.
    expect(text).toMatch(/\nNEEDS APPROVAL: IAM permissions are broadened/);

    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(
      /^## promote-check: `dev1 -> prod`: ⚠️ needs approval \(IAM broadened\)\n/,
    );
    expect(markdown).toContain(
      "| Change | Resource | Matrix row | Risk | Time | Rollback | Details |",
    );
    expect(markdown).toContain("Deploy: `pnpm sst deploy Api --stage prod`");

    const json = JSON.parse(renderJson(report));
    expect(json.changes).toHaveLength(report.changes.length);
    for (const change of json.changes) {
      expect(change).toEqual(
        expect.objectContaining({
          logicalId: expect.any(String),
          resourceType: expect.any(String),
          action: expect.stringMatching(/^(add|modify|remove|replace)$/),
          risk: expect.stringMatching(/^(Low|Medium|High)$/),
          time: expect.any(String),
          rollback: expect.any(String),
          command: `pnpm sst deploy ${change.stack} --stage prod`,
        }),
      );
    }
    expect(json.migrations.kind).toMatch(/^(listed|no-registry)$/);
  });
});
