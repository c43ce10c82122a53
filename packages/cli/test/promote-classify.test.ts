import { createHash } from "node:crypto";
import { Duration, RemovalPolicy, type Stack } from "aws-cdk-lib";
import { Alarm, Metric } from "aws-cdk-lib/aws-cloudwatch";
import {
  LambdaApplication,
  LambdaDeploymentConfig,
  LambdaDeploymentGroup,
} from "aws-cdk-lib/aws-codedeploy";
import { StringAttribute, UserPool } from "aws-cdk-lib/aws-cognito";
import { AttributeType, BillingMode, Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import {
  Alias,
  Code,
  DockerImageCode,
  DockerImageFunction,
  Function as LambdaFunction,
  Runtime,
} from "aws-cdk-lib/aws-lambda";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { afterAll, describe, expect, it } from "vitest";
import type { Change } from "../src/promote/classify.js";
import type { Report } from "../src/promote/compare.js";
import { renderText } from "../src/promote/render.js";
import { check, folder, removeScratch, synthApp } from "./promote/cdk-app.js";

afterAll(removeScratch);

const HANDLER_V1 = folder({ "index.js": "export const handler = async () => ({ ok: 1 });\n" });
const HANDLER_V2 = folder({ "index.js": "export const handler = async () => ({ ok: 2 });\n" });

function table(stack: Stack, indexes: string[]) {
  const created = new Table(stack, "Table", {
    tableName: "localstays-dev1",
    partitionKey: { name: "pk", type: AttributeType.STRING },
    sortKey: { name: "sk", type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
  });
  for (const name of indexes) {
    created.addGlobalSecondaryIndex({
      indexName: name,
      partitionKey: { name: `${name.toLowerCase()}pk`, type: AttributeType.STRING },
      sortKey: { name: `${name.toLowerCase()}sk`, type: AttributeType.STRING },
    });
  }
  return created;
}

function handler(
  stack: Stack,
  options: { code?: string; environment?: Record<string, string>; s3Actions?: string[] } = {},
) {
  const fn = new LambdaFunction(stack, "Handler", {
    runtime: Runtime.NODEJS_20_X,
    handler: "index.handler",
    code: Code.fromAsset(options.code ?? HANDLER_V1),
    environment: { TABLE_NAME: "localstays-dev1", ...options.environment },
  });
  const bucket = new Bucket(stack, "Photos");
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: options.s3Actions ?? ["s3:GetObject"],
      resources: [bucket.arnForObjects("uploads/*")],
    }),
  );
  return fn;
}

const rows = (report: Report) => [...new Set(report.changes.map((change) => change.row))].sort();
const only = (report: Report, row: Change["row"]) => report.changes.filter((c) => c.row === row);

describe("promote-check on real CDK apps: DynamoDB", () => {
  it("stops on two GSIs created in one update: DynamoDB takes one per update", () => {
    const report = check(
      synthApp("dev1", (s) => table(s, ["GSI1"])),
      synthApp("dev1", (s) => table(s, ["GSI1", "GSI2", "GSI3"])),
    );
    expect(report.verdict).toBe("hard-stop");
    expect(report.hardStops).toEqual([
      expect.objectContaining({
        stack: "Data",
        resourceType: "AWS::DynamoDB::Table",
        reason: expect.stringMatching(/^creates GSI2, GSI3 in one update: DynamoDB allows one/),
      }),
    ]);
    expect(renderText(report)).toMatch(/HARD STOPS:\n {2}Data Table\w+ \(AWS::DynamoDB::Table\)/);
  });

  it("allows one new GSI, as a High-risk DynamoDB schema change that warns about the backfill", () => {
    const report = check(
      synthApp("dev1", (s) => table(s, ["GSI1"])),
      synthApp("dev1", (s) => table(s, ["GSI1", "GSI2"])),
    );
    expect(report.verdict).toBe("ok");
    expect(report.hardStops).toEqual([]);
    expect(rows(report)).toEqual(["dynamodb-schema"]);
    const [change] = report.changes;
    expect(change).toMatchObject({ action: "modify", risk: "High", row: "dynamodb-schema" });
    expect(change?.details).toContainEqual(
      expect.stringMatching(/^GlobalSecondaryIndexes\[GSI2\]: \+/),
    );
    expect(change?.warnings.join()).toMatch(/creates GSI2: the index backfills/);
  });

  it("stops when a GSI keeps its name but changes its keys, and when the table would be replaced", () => {
    const moved = check(
      synthApp("dev1", (s) => table(s, ["GSI1"])),
      synthApp("dev1", (s) => {
        const t = table(s, []);
        t.addGlobalSecondaryIndex({
          indexName: "GSI1",
          partitionKey: { name: "city", type: AttributeType.STRING },
        });
      }),
    );
    expect(moved.hardStops.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^changes the key schema or projection of GSI1/),
    ]);

    const rekeyed = check(
      synthApp("dev1", (s) => table(s, [])),
      synthApp("dev1", (s) => {
        new Table(s, "Table", {
          tableName: "localstays-dev1",
          partitionKey: { name: "id", type: AttributeType.STRING },
        });
      }),
    );
    expect(rekeyed.hardStops.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^would replace the table and its items \(KeySchema can only change/),
    ]);
    expect(rekeyed.changes.find((c) => c.row === "dynamodb-schema")?.action).toBe("replace");
  });
});

describe("promote-check on real CDK apps: Cognito, buckets, keys", () => {
  const pool = (
    stack: Stack,
    id = "Pool",
    extra: Partial<ConstructorParameters<typeof UserPool>[2]> = {},
  ) =>
    new UserPool(stack, id, {
      userPoolName: "localstays-dev1",
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      removalPolicy: RemovalPolicy.RETAIN,
      ...extra,
    });

  it("stops when renaming the pool's construct would delete it (and orphan it, with Retain)", () => {
    const report = check(
      synthApp("dev1", (s) => pool(s, "Pool")),
      synthApp("dev1", (s) => pool(s, "UserPool")),
    );
    expect(report.verdict).toBe("hard-stop");
    expect(report.hardStops).toEqual([
      expect.objectContaining({
        resourceType: "AWS::Cognito::UserPool",
        reason: expect.stringMatching(
          /^would leave the stack \(orphaned by DeletionPolicy Retain\)/,
        ),
      }),
    ]);
    expect(
      only(report, "cognito")
        .map((c) => c.action)
        .sort(),
    ).toEqual(["add", "remove"]);
  });

  it("stops on a changed standard attribute and on new sign-in aliases, but only warns on a new custom attribute", () => {
    const before = synthApp("dev1", (s) => pool(s));
    const standard = check(
      before,
      synthApp("dev1", (s) =>
        pool(s, "Pool", { standardAttributes: { email: { required: true, mutable: false } } }),
      ),
    );
    expect(standard.hardStops.map((s) => s.reason)).toEqual([
      expect.stringMatching(
        /^changes the attribute email .* Cognito cannot modify an existing attribute/,
      ),
    ]);

    const aliases = check(
      before,
      synthApp("dev1", (s) => pool(s, "Pool", { signInAliases: { email: true, phone: true } })),
    );
    expect(aliases.verdict).toBe("hard-stop");
    expect(aliases.hardStops.map((s) => s.reason).join("\n")).toMatch(
      /would replace the user pool .*UsernameAttributes replaces the user pool/,
    );

    const custom = check(
      before,
      synthApp("dev1", (s) =>
        pool(s, "Pool", { customAttributes: { plan: new StringAttribute() } }),
      ),
    );
    expect(custom.verdict).toBe("ok");
    expect(only(custom, "cognito")[0]?.warnings).toEqual([
      "adds the custom attribute plan: it can never be removed again.",
    ]);
  });

  it("stops on a bucket replaced by a new name and on a KMS key removed", () => {
    const renamed = check(
      synthApp("dev1", (s) => new Bucket(s, "Photos", { bucketName: "localstays-photos-a" })),
      synthApp("dev1", (s) => new Bucket(s, "Photos", { bucketName: "localstays-photos-b" })),
    );
    expect(renamed.hardStops.map((s) => s.reason)).toEqual([
      expect.stringMatching(
        /^would replace the bucket and its objects \(BucketName can only change/,
      ),
    ]);

    const keyless = check(
      synthApp("dev1", (s) => {
        new Key(s, "Key", { removalPolicy: RemovalPolicy.DESTROY });
        new Bucket(s, "Photos");
      }),
      synthApp("dev1", (s) => {
        new Bucket(s, "Photos");
      }),
    );
    expect(keyless.hardStops).toEqual([
      expect.objectContaining({
        resourceType: "AWS::KMS::Key",
        reason: expect.stringMatching(/^would delete the key: whatever it encrypts/),
      }),
    ]);
  });
});

describe("promote-check on real CDK apps: functions and permissions", () => {
  it("reports new handler code as Lambda code only, Low risk, and nothing else", () => {
    const report = check(
      synthApp("dev1", (s) => handler(s)),
      synthApp("dev1", (s) => handler(s, { code: HANDLER_V2 })),
    );
    expect(report.verdict).toBe("ok");
    expect(report.changes).toEqual([
      expect.objectContaining({
        resourceType: "AWS::Lambda::Function",
        action: "modify",
        row: "lambda-code",
        risk: "Low",
      }),
    ]);
    expect(renderText(report)).toContain(
      "Lambda code only  [risk Low, ~5 min; rollback: Redeploy previous version]",
    );
  });

  it("reports a function's live alias, its versions and its CodeDeploy group as Lambda releases", () => {
    const released = (s: Stack) => {
      const fn = handler(s);
      const alias = new Alias(fn, "Live", { aliasName: "live", version: fn.currentVersion });
      new LambdaDeploymentGroup(fn, "Release", {
        application: new LambdaApplication(s, "Releases"),
        alias,
        deploymentConfig: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
        autoRollback: { failedDeployment: true },
      });
    };
    const report = check(
      synthApp("prod", (s) => handler(s)),
      synthApp("prod", released),
    );
    const releases = only(report, "releases");
    expect(releases.map((c) => `${c.action} ${c.resourceType}`).sort()).toEqual([
      "add AWS::CodeDeploy::Application",
      "add AWS::CodeDeploy::DeploymentGroup",
      "add AWS::Lambda::Alias",
      "add AWS::Lambda::Version",
    ]);
    expect(releases.every((c) => c.risk === "Medium")).toBe(true);
    // CodeDeploy's service role is an IAM change like any other.
    expect(rows(report)).toEqual(["iam", "releases"]);
    expect(renderText(report)).toContain(
      "Lambda releases (versions, live aliases, CodeDeploy)  [risk Medium, ~5 min (prod: + the " +
        "5-minute canary at 10%); rollback: Automatic: CodeDeploy moves the live alias back",
    );
  });

  it("reports a changed Dockerfile as a Docker image change", () => {
    const image = (dockerfile: string) => (s: Stack) =>
      new DockerImageFunction(s, "Processor", {
        code: DockerImageCode.fromImageAsset(folder({ Dockerfile: dockerfile, "app.js": "1\n" })),
        memorySize: 2048,
        timeout: Duration.seconds(60),
      });
    const report = check(
      synthApp("dev1", image("FROM public.ecr.aws/lambda/nodejs:20\n")),
      synthApp("dev1", image("FROM public.ecr.aws/lambda/nodejs:22\n")),
    );
    expect(rows(report)).toEqual(["docker-image"]);
    expect(report.changes[0]).toMatchObject({
      risk: "Medium",
      details: [expect.stringMatching(/^Code\.ImageUri/)],
    });
  });

  it("reports an added environment variable as Environment vars", () => {
    const report = check(
      synthApp("dev1", (s) => handler(s)),
      synthApp("dev1", (s) => handler(s, { environment: { ENABLE_FEATURE_Y: "true" } })),
    );
    expect(report.changes).toEqual([
      expect.objectContaining({
        row: "environment",
        risk: "Low",
        details: ['Environment.Variables.ENABLE_FEATURE_Y: + "true"'],
      }),
    ]);
  });

  it("flags a broader IAM policy as needing approval, which --allow-iam accepts", () => {
    const before = synthApp("dev1", (s) => handler(s));
    const after = synthApp("dev1", (s) => handler(s, { s3Actions: ["s3:*"] }));
    const report = check(before, after);
    expect(report.verdict).toBe("needs-approval");
    expect(rows(report)).toEqual(["iam"]);
    expect(report.approvals).toEqual([
      {
        stack: "Data",
        statements: [expect.stringMatching(/^\+ Allow s3:\* on \$\{Photos\w+\.Arn\}\/uploads\/\*/)],
      },
    ]);
    expect(renderText(report)).toContain("NEEDS APPROVAL: IAM permissions broadened:");
    expect(check(before, after, true)).toMatchObject({ verdict: "ok", iamAllowed: true });

    const narrower = check(after, before);
    expect(narrower.verdict).toBe("ok");
    expect(narrower.approvals).toEqual([]);
  });
});

describe("promote-check between two stages of one app", () => {
  /** What SST does: names with the stage, long names cut with a hash, stage in asset hashes. */
  function lambdaName(stage: string, purpose: string) {
    const name = `localstays-${stage}-${purpose}`;
    if (name.length <= 64) return name;
    const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
    return `${name.slice(0, 55)}-${hash}`;
  }
  const stagedApp = (code: string, threshold: number) => (stack: Stack, stage: string) => {
    new Key(stack, "Key", {
      alias: `alias/localstays-${stage}`,
      description: `Localstays ${stage}`,
    });
    // 64 characters in dev1, so cut (and hashed) only in longer stage names.
    const name = lambdaName(stage, "PUT-hosts-hostId-listings-listingId-images-order");
    const fn = new LambdaFunction(stack, "Handler", {
      runtime: Runtime.NODEJS_20_X,
      handler: "index.handler",
      functionName: name,
      // SST puts the stack name into some asset hashes; the contents are what matter.
      code: Code.fromAsset(code, { assetHash: `${stack.stackName}-${code}` }),
      environment: { STAGE: stage },
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["ssm:GetParameter"],
        resources: [
          `arn:aws:ssm:${stack.region}:${stack.account}:parameter/sst/localstays/${stage}/*`,
        ],
      }),
    );
    new Alarm(stack, `errors${name.slice(`localstays-${stage}-`.length).replace(/-/g, "")}`, {
      alarmName: `localstays-${stage}-errors`,
      metric: new Metric({
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensionsMap: { FunctionName: name },
      }),
      threshold,
      evaluationPeriods: 1,
    });
  };

  it("sees nothing where only the stage differs: names, cut names, stage-specific asset hashes", () => {
    const report = check(
      synthApp("dev1", stagedApp(HANDLER_V1, 10), "Api"),
      synthApp("staging", stagedApp(HANDLER_V1, 10), "Api"),
    );
    expect(report.mode).toBe("stages");
    expect(report.fingerprints).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.stacks).toEqual([
      expect.objectContaining({
        id: "Api",
        stackName: "LocalstaysStagingApiStack",
        status: "unchanged",
      }),
    ]);
  });

  it("still reports a value that differs beyond the stage's name in it", () => {
    const app = (suffix: string) => (stack: Stack, stage: string) =>
      handler(stack, { environment: { TABLE_NAME: `localstays-${stage}${suffix}` } });
    const report = check(synthApp("dev1", app(""), "Api"), synthApp("staging", app("-v2"), "Api"));
    expect(report.changes.map((c) => c.details)).toEqual([
      ['Environment.Variables.TABLE_NAME: "localstays-<stage>" -> "localstays-<stage>-v2"'],
    ]);
  });

  it("still sees a code change and a per-stage setting between two stages", () => {
    const report = check(
      synthApp("dev1", stagedApp(HANDLER_V1, 10), "Api"),
      synthApp("prod", stagedApp(HANDLER_V2, 1), "Api"),
    );
    expect(report.changes.map((c) => [c.row, c.action, c.details])).toEqual([
      [
        "lambda-code",
        "modify",
        [expect.stringMatching(/^Code\.S3Key: "<asset:\w+>\.zip" -> "<asset:\w+>\.zip"$/)],
      ],
      ["alarms", "modify", ["Threshold: 10 -> 1"]],
    ]);
  });
});
