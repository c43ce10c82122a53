import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TableSchema } from "../../packages/core/src/table.js";
import { UserPoolDefinition } from "../../packages/core/src/user-pool.js";
import { type SynthResult, synthesize } from "../synth.js";
import { apiSpec } from "./api-spec.js";
import { type BundleContext, bundleSpec, bundlesOf } from "./bundle-spec.js";
import { drSpec } from "./dr-spec.js";
import { imagesSpec } from "./images-spec.js";
import { mailSpec } from "./mail-spec.js";
import { observabilitySpec } from "./observability-spec.js";
import { releaseSpec } from "./release-spec.js";
import { only, resources, suppressions, tagsOf } from "./template.js";
import { siteBuildOf, siteFilesOf, type WebContext, webSpec } from "./web-spec.js";

/** What a stage must look like: the seed's and the brief's decisions, written out literally. */
export interface StageExpectation {
  stage: string;
  account: string;
  region: string;
  retentionDays: number;
  /** Deletion protection, RETAIN. */
  protectData: boolean;
  /** Point-in-time recovery on the table (staging rehearses restores, prod needs them). */
  pointInTimeRecovery: boolean;
  /** The AWS Backup plan's retention in days; absent: no plan. */
  backup?: { dailyDays: number; monthlyDays: number };
  /** The monthly AWS Budget in USD. */
  budgetUsd: number;
  corsOrigins: string[];
  /** The dashboard's custom domain (prod), else none: its CloudFront domain only. */
  appDomain?: string;
  featureX: boolean;
  costCentre: string;
  /** Subscribers of the alarm topic. */
  alertEmails: string[];
  /**
   * CodeDeploy's config for releasing the API's and the processor's functions through their
   * `live` alias; absent: plain functions, updated in place.
   */
  deploymentConfig?: string;
  /** X-Ray active tracing on every function, and the tracer in the code (TRACING). */
  tracing: boolean;
  /** Admin rights need a verified TOTP authenticator (the API functions check the pool). */
  adminTotpRequired: boolean;
  /** The SES sending domain and sender; sesSending: the pool sends through SES. */
  mail: { domain: string; from: string; sesSending: boolean };
  /** The Chatbot Slack channel ids, when the synthesis had them in its environment. */
  slack?: { workspaceId: string; channelId: string };
}

/** `GSI1 -> [pk, sk]` for comparing the table against core's schema. */
function keySchema(partitionKey: string, sortKey: string) {
  return [
    { AttributeName: partitionKey, KeyType: "HASH" },
    { AttributeName: sortKey, KeyType: "RANGE" },
  ];
}

/**
 * A synthesis bundles every function and, where Docker runs (GitHub's runners), really
 * builds the processor's image: the first build there pulls the Lambda base image. Well
 * above the config's 60 s hook timeout, which a loaded 2-core machine also exceeds.
 */
export const SYNTH_TIMEOUT_MS = 240_000;

/**
 * Synthesizes `expected.stage` once (with cdk-nag) and checks every stack against the
 * expectation. `env` is stubbed for the synthesis (the prod account id).
 */
export function describeStage(expected: StageExpectation, env: Record<string, string> = {}) {
  const { stage, protectData } = expected;
  const ctx: WebContext & BundleContext = {
    result: undefined as unknown as SynthResult,
    siteFiles: [],
    siteBuild: {},
    bundles: [],
  };

  describe(`stage ${stage}`, () => {
    beforeAll(async () => {
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      ctx.result = await synthesize({
        stage,
        nag: true,
        onAssembly: (assembly, staged) => {
          ctx.siteFiles = siteFilesOf(assembly);
          ctx.siteBuild = siteBuildOf(staged.siteBuild);
          ctx.bundles = bundlesOf(assembly);
        },
      });
    }, SYNTH_TIMEOUT_MS);
    afterAll(() => {
      vi.unstubAllEnvs();
    });

    it(`targets ${expected.region} in account ${expected.account}, with the seed's stack names`, () => {
      const { result } = ctx;
      expect(result.region).toBe(expected.region);
      expect(result.account).toBe(expected.account);
      const pascal = stage.charAt(0).toUpperCase() + stage.slice(1);
      for (const [id, { stackName }] of Object.entries(result.stacks)) {
        expect(stackName).toBe(`Localstays${pascal}${id}Stack`);
      }
    });

    it(`names the table localstays-${stage} and builds it from core's TableSchema`, () => {
      const table = only(ctx.result, "AWS::DynamoDB::Table");
      expect(table.Properties.TableName).toBe(`localstays-${stage}`);
      expect(table.Properties.BillingMode).toBe("PAY_PER_REQUEST");
      const { partitionKey, sortKey } = TableSchema.primaryIndex;
      expect(table.Properties.KeySchema).toEqual(keySchema(partitionKey, sortKey));
      const indexes = Object.fromEntries(
        (
          table.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]
        ).map((index) => [index.IndexName, index.KeySchema]),
      );
      expect(indexes).toEqual(
        Object.fromEntries(
          Object.entries(TableSchema.globalIndexes).map(([name, index]) => [
            name,
            keySchema(index.partitionKey, index.sortKey),
          ]),
        ),
      );
      expect(Object.keys(indexes)).toHaveLength(4);
      expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: "NEW_IMAGE" });
    });

    it("encrypts the table with the stage's rotating customer-managed KMS key", () => {
      const key = only(ctx.result, "AWS::KMS::Key");
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(only(ctx.result, "AWS::KMS::Alias").Properties.AliasName).toBe(
        `alias/localstays-${stage}`,
      );
      const sse = only(ctx.result, "AWS::DynamoDB::Table").Properties.SSESpecification;
      expect(sse).toMatchObject({ SSEEnabled: true, SSEType: "KMS" });
      expect(JSON.stringify(sse.KMSMasterKeyId)).toContain(key.logicalId);
    });

    it(
      protectData
        ? "protects the data: deletion protection and Retain on table, pool, key and buckets"
        : "keeps no data on delete: no deletion protection, every resource Delete",
      () => {
        const { result } = ctx;
        const table = only(result, "AWS::DynamoDB::Table");
        expect(table.Properties.DeletionProtectionEnabled).toBe(protectData);
        const pool = only(result, "AWS::Cognito::UserPool");
        expect(pool.Properties.DeletionProtection).toBe(protectData ? "ACTIVE" : "INACTIVE");

        const stateful = [
          table,
          pool,
          only(result, "AWS::KMS::Key"),
          ...resources(result, "AWS::S3::Bucket"),
        ];
        for (const resource of stateful) {
          expect(resource.DeletionPolicy, resource.logicalId).toBe(
            protectData ? "Retain" : "Delete",
          );
        }
        const autoDelete = resources(result, "Custom::S3AutoDeleteObjects");
        if (protectData) {
          expect(autoDelete).toEqual([]);
        } else {
          expect(resources(result).filter((r) => r.DeletionPolicy === "Retain")).toEqual([]);
          expect(autoDelete).toHaveLength(resources(result, "AWS::S3::Bucket").length);
        }
      },
    );

    it("blocks public access to every bucket, encrypts it and denies non-TLS requests", () => {
      const { result } = ctx;
      const buckets = resources(result, "AWS::S3::Bucket");
      expect(buckets.length).toBeGreaterThan(0);
      const policies = resources(result, "AWS::S3::BucketPolicy");
      for (const bucket of buckets) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(
          bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
            .ServerSideEncryptionByDefault.SSEAlgorithm,
        ).toMatch(/^(AES256|aws:kms)$/);
        const policy = policies.find((p) => p.Properties.Bucket?.Ref === bucket.logicalId);
        expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: "Deny",
            Action: "s3:*",
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        );
      }
    });

    it("expires uploads, aborts stale multipart uploads and allows browser POSTs from the stage's origins", () => {
      const photos = resources(ctx.result, "AWS::S3::Bucket").find(
        (b) => b.Properties.CorsConfiguration,
      );
      expect(photos?.Properties.CorsConfiguration.CorsRules).toEqual([
        expect.objectContaining({
          AllowedOrigins: expected.corsOrigins,
          AllowedMethods: expect.arrayContaining(["POST"]),
        }),
      ]);
      const rules = photos?.Properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: "uploads/", ExpirationInDays: 2, Status: "Enabled" }),
      );
      expect(rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      );
      expect(photos?.Properties.LoggingConfiguration).toBeDefined();
    });

    it("builds the user pool, its client and groups from core's UserPoolDefinition", () => {
      const { result } = ctx;
      const pool = only(result, "AWS::Cognito::UserPool").Properties;
      const { passwordPolicy } = UserPoolDefinition;
      expect(pool.UsernameAttributes).toEqual(["email"]);
      expect(pool.AutoVerifiedAttributes).toEqual(["email"]);
      expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(false);
      expect(pool.MfaConfiguration).toBe("OPTIONAL");
      expect(pool.Policies.PasswordPolicy).toEqual({
        MinimumLength: passwordPolicy.minimumLength,
        RequireLowercase: passwordPolicy.requireLowercase,
        RequireUppercase: passwordPolicy.requireUppercase,
        RequireNumbers: passwordPolicy.requireDigits,
        RequireSymbols: passwordPolicy.requireSymbols,
      });
      const client = only(result, "AWS::Cognito::UserPoolClient").Properties;
      expect(client.GenerateSecret ?? false).toBe(false);
      expect(client.ExplicitAuthFlows).toEqual(
        expect.arrayContaining(["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"]),
      );
      const groups = resources(result, "AWS::Cognito::UserPoolGroup").map((g) => ({
        name: g.Properties.GroupName,
        description: g.Properties.Description,
        precedence: g.Properties.Precedence,
      }));
      expect(groups).toEqual(expect.arrayContaining([...UserPoolDefinition.groups]));
      expect(groups).toHaveLength(UserPoolDefinition.groups.length);
    });

    it("tags every taggable resource with app, stage and cost-centre", () => {
      const tagged = resources(ctx.result).filter((r) => tagsOf(r) !== undefined);
      expect(tagged.length).toBeGreaterThan(20);
      for (const resource of tagged) {
        expect(tagsOf(resource), `${resource.stack}/${resource.logicalId}`).toMatchObject({
          app: "localstays",
          stage,
          "cost-centre": expected.costCentre,
        });
      }
      const mustBeTagged = [
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::Cognito::UserPool",
        "AWS::ApiGatewayV2::Api",
        "AWS::SNS::Topic",
        "AWS::CloudWatch::Alarm",
        "AWS::Logs::LogGroup",
        "AWS::SSM::Parameter",
      ];
      for (const type of mustBeTagged) {
        for (const resource of resources(ctx.result, type)) {
          expect(tagsOf(resource), `${type} ${resource.logicalId}`).toBeDefined();
        }
      }
    });

    it("has no unsuppressed cdk-nag AwsSolutions error", () => {
      const errors = ctx.result.nag.filter((finding) => finding.level === "error");
      expect(errors.map((e) => `${e.path}: ${e.message.split("\n")[0]}`)).toEqual([]);
    });

    it("gives every cdk-nag suppression a rule id and a concrete reason", () => {
      const found = suppressions(ctx.result);
      expect(found.length).toBeGreaterThan(0);
      for (const suppression of found) {
        expect(suppression.id, suppression.where).toMatch(/^AwsSolutions-[A-Z]+[0-9]+$/);
        expect(suppression.reason.trim().length, suppression.where).toBeGreaterThanOrEqual(30);
      }
    });

    apiSpec(expected, ctx);
    drSpec(expected, ctx);
    imagesSpec(expected, ctx);
    mailSpec(expected, ctx);
    releaseSpec(expected, ctx);
    observabilitySpec(expected, ctx);
    webSpec(expected, ctx);
    bundleSpec(ctx);
  });
}
