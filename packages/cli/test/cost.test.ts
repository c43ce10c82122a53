import { describe, expect, it } from "vitest";
import { costDifference } from "../src/commands/promote-check.js";
import { estimate, formatEstimate, type StacksInput } from "../src/cost/estimate.js";
import { PRICES, PRICES_AS_OF } from "../src/cost/prices.js";
import { costLine } from "../src/promote/render.js";
import type { Side } from "../src/promote/side.js";

/**
 * `localstays cost` on a small hand-written template with fixed profiles: the figures below
 * are worked out by hand from the profile, the assumptions and the price table.
 */
function stage(region: string, options: { pitr?: boolean; backup?: boolean } = {}): StacksInput {
  const fn = (handler: string) => ({
    Type: "AWS::Lambda::Function",
    Properties: { Handler: handler, MemorySize: 1024, Architectures: ["arm64"] },
  });
  const alarms = Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [`Alarm${i}`, { Type: "AWS::CloudWatch::Alarm" }]),
  );
  return {
    stage: "fixture",
    region,
    stacks: {
      Data: {
        template: {
          Resources: {
            Table: {
              Type: "AWS::DynamoDB::Table",
              Properties: {
                PointInTimeRecoverySpecification: {
                  PointInTimeRecoveryEnabled: options.pitr ?? false,
                },
              },
            },
            Key: { Type: "AWS::KMS::Key" },
            ...(options.backup
              ? {
                  Plan: {
                    Type: "AWS::Backup::BackupPlan",
                    Properties: {
                      BackupPlan: {
                        BackupPlanRule: [
                          {
                            ScheduleExpression: "cron(0 3 * * ? *)",
                            Lifecycle: { DeleteAfterDays: 35 },
                          },
                          {
                            ScheduleExpression: "cron(0 4 1 * ? *)",
                            Lifecycle: { DeleteAfterDays: 365 },
                          },
                        ],
                      },
                    },
                  },
                }
              : {}),
          },
        },
      },
      Api: {
        template: {
          Resources: {
            Http: { Type: "AWS::ApiGatewayV2::Api" },
            Get: fn("packages/functions/src/api/listings/get.handler"),
            Search: fn("packages/functions/src/api/listings/search.handler"),
            // Framework functions (custom resources) are not the app's traffic.
            Custom: { Type: "AWS::Lambda::Function", Properties: { Handler: "index.handler" } },
          },
        },
      },
      Images: {
        template: {
          Resources: {
            Processor: {
              Type: "AWS::Lambda::Function",
              Properties: { PackageType: "Image", MemorySize: 1769 },
            },
            Queue: { Type: "AWS::SQS::Queue" },
            Photos: { Type: "AWS::S3::Bucket" },
            Cdn: { Type: "AWS::CloudFront::Distribution" },
          },
        },
      },
      Monitoring: {
        template: { Resources: { ...alarms, Budget: { Type: "AWS::Budgets::Budget" } } },
      },
      Auth: { template: { Resources: { Pool: { Type: "AWS::Cognito::UserPool" } } } },
    },
  };
}

const line = (result: ReturnType<typeof estimate>, resource: string) =>
  result.lines.find((l) => l.resource === resource);

describe("localstays cost", () => {
  it("prices the fixed costs of the template: alarms, the key, the budget", () => {
    const quiet = estimate(stage("eu-north-1"), "quiet");
    // 12 alarms at $0.10, the first 10 free.
    expect(line(quiet, "AWS::CloudWatch::Alarm")).toMatchObject({ usd: 1.2, freeUsd: 1 });
    // $1 a key plus ~10,000 requests at $0.03 per 10,000, which the free tier covers.
    expect(line(quiet, "AWS::KMS::Key")).toMatchObject({ usd: 1.03, freeUsd: 0.03 });
    // 30 days at $0.02; an account's first two budgets are free.
    expect(line(quiet, "AWS::Budgets::Budget")).toMatchObject({ usd: 0.6, freeUsd: 0.6 });
  });

  it("prices traffic by profile: quiet stays in the free tier, busy does not", () => {
    const quiet = estimate(stage("eu-north-1"), "quiet");
    // 50,200 invocations ($0.01) + 6,000 GB-s arm ($0.08) + 345.5 GB-s x86 ($0.006).
    expect(line(quiet, "AWS::Lambda::Function")).toMatchObject({ usd: 0.1, freeUsd: 0.09 });
    // 50,000 requests at $1.10 per million; the HTTP API's free tier is a 12-month offer.
    expect(line(quiet, "AWS::ApiGatewayV2::Api")).toMatchObject({ usd: 0.06, freeUsd: 0 });

    const busy = estimate(stage("eu-central-1"), "busy");
    expect(line(busy, "AWS::ApiGatewayV2::Api")?.usd).toBe(36);
    // 30,000 MAU at $0.015, 10,000 of them free.
    expect(line(busy, "AWS::Cognito::UserPool")).toMatchObject({ usd: 450, freeUsd: 150 });
  });

  it("prices the table on demand, and PITR and the backup plan only where the template has them", () => {
    const plain = estimate(stage("eu-north-1"), "launch");
    // 8M reads ($1.06) + 620,000 writes ($0.41) + 1 GB ($0.27, within the 25 free GB).
    expect(line(plain, "AWS::DynamoDB::Table")).toMatchObject({ usd: 1.74, freeUsd: 0.27 });
    expect(line(plain, "AWS::DynamoDB::Table (PITR)")).toBeUndefined();
    expect(line(plain, "AWS::Backup::BackupPlan")).toBeUndefined();

    const protectedStage = estimate(stage("eu-north-1", { pitr: true, backup: true }), "launch");
    expect(line(protectedStage, "AWS::DynamoDB::Table (PITR)")?.usd).toBe(0.21);
    // 35 daily + 13 monthly full table backups of 1 GB at $0.1062, 20 GB of photos at $0.05.
    expect(line(protectedStage, "AWS::Backup::BackupPlan")?.usd).toBe(6.1);
    expect(protectedStage.netUsd).toBeGreaterThan(plain.netUsd);
  });

  it("totals gross, free tier and net, and prints them with the price table's date", () => {
    const result = estimate(stage("eu-central-1"), "launch");
    const gross = result.lines.reduce((sum, l) => sum + l.usd, 0);
    expect(result.grossUsd).toBeCloseTo(gross, 2);
    expect(result.netUsd).toBeCloseTo(result.grossUsd - result.freeUsd, 2);
    expect(estimate(stage("eu-central-1"), "launch").netUsd).toBeGreaterThan(
      estimate(stage("eu-north-1"), "launch").netUsd,
    );
    const text = formatEstimate(result);
    expect(text).toContain(`Prices as of ${PRICES_AS_OF}`);
    expect(text).toMatch(/Always-free tier \(per account\)\s+\$-\d+\.\d\d/);
    expect(Object.keys(PRICES).sort()).toEqual(["eu-central-1", "eu-north-1"]);
    expect(() => estimate(stage("us-east-1"), "quiet")).toThrow(/No prices for us-east-1/);
  });
});

describe("promote-check's monthly cost difference", () => {
  const side = (input: StacksInput, label: string): Side => ({
    label,
    stage: input.stage,
    account: "123456789012",
    region: input.region,
    stacks: Object.fromEntries(
      Object.entries(input.stacks).map(([id, { template }]) => [id, { stackName: id, template }]),
    ),
  });

  it("prices both sides at the quiet profile and shows what the promotion adds", () => {
    const before = side(stage("eu-north-1"), "dev1");
    const after = side(stage("eu-north-1", { pitr: true, backup: true }), "staging");
    const cost = costDifference(before, after, "quiet");
    expect(cost.beforeUsd).toBe(estimate(stage("eu-north-1"), "quiet").grossUsd);
    expect(cost.differenceUsd).toBeGreaterThan(0);
    expect(cost.differenceUsd).toBeCloseTo(cost.afterUsd - cost.beforeUsd, 2);
    expect(costLine(cost)).toBe(
      `Monthly cost (profile quiet, before the free tier; localstays cost): $${cost.beforeUsd.toFixed(2)} -> $${cost.afterUsd.toFixed(2)} (+$${cost.differenceUsd.toFixed(2)})`,
    );
    expect(costLine(costDifference(after, before, "quiet"))).toMatch(/\(-\$\d+\.\d\d\)$/);
  });
});
