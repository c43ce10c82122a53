import { beforeAll, describe, expect, it } from "vitest";
import { type SynthResult, synthesize } from "../synth.js";
import { appFunctions, imageFunctions, type Resource, resources } from "./template.js";

/**
 * `sst dev --stage dev1` after the pipeline's `sst deploy --stage dev1` (and the other way
 * round) must not delete or replace what the deploy made: CloudFormation deletes a resource
 * whose logical id disappears, and replaces one whose identifying properties change. dev1 is
 * synthesized in both modes here and compared; no other stage needs it (staging and prod
 * refuse `sst dev`, personal stages are only ever run one way by their owner).
 */

/** Stateful or user-facing: what a replacement would lose (data, keys, users, URLs). */
const KEPT = [
  "AWS::DynamoDB::Table",
  "AWS::S3::Bucket",
  "AWS::Cognito::UserPool",
  "AWS::Cognito::UserPoolClient",
  "AWS::KMS::Key",
  "AWS::CloudFront::Distribution",
  "AWS::SQS::Queue",
  "AWS::SNS::Topic",
  "AWS::Logs::LogGroup",
  "AWS::ApiGatewayV2::Api",
  "AWS::SSM::Parameter",
] as const;

const key = (resource: Resource) => `${resource.stack}/${resource.logicalId} ${resource.Type}`;
const byKey = (result: SynthResult) => new Map(resources(result).map((r) => [key(r), r]));

/** Two full syntheses of dev1 (the deploy one bundles every function and builds the site). */
const TIMEOUT_MS = 480_000;

describe("dev1 in dev mode (sst dev) keeps what a deploy made", () => {
  let deployed: SynthResult;
  let dev: SynthResult;
  beforeAll(async () => {
    deployed = await synthesize({ stage: "dev1", mode: "deploy" });
    dev = await synthesize({ stage: "dev1", mode: "dev" });
  }, TIMEOUT_MS);

  it("is really dev mode: each of the app's functions is SST's live Lambda stub there", () => {
    const ours = [...appFunctions(deployed), ...imageFunctions(deployed)];
    // 21 routes and the authorizer's and Cognito's triggers, and the image processor at least.
    expect(ours.length).toBeGreaterThanOrEqual(20);
    const after = byKey(dev);
    const stubs = ours.filter((fn) => {
      const stub = after.get(key(fn))?.Properties;
      return (
        stub?.Handler === "live-lambda.handler" ||
        String(stub?.Description ?? "").endsWith("(live)")
      );
    });
    expect(stubs.map(key)).toEqual(ours.map(key));
  });

  it.each(KEPT)("has every %s of the deploy, under the same logical id, unchanged", (type) => {
    const before = resources(deployed, type);
    const after = byKey(dev);
    expect(before.length, `dev1 has no ${type}`).toBeGreaterThan(0);
    for (const resource of before) {
      const kept = after.get(key(resource));
      expect(kept, `${key(resource)} is deleted in dev mode`).toBeDefined();
      expect(
        { Properties: kept?.Properties, DeletionPolicy: kept?.DeletionPolicy },
        `${key(resource)} changes in dev mode`,
      ).toEqual({ Properties: resource.Properties, DeletionPolicy: resource.DeletionPolicy });
    }
  });

  it("keeps the dashboard: its bucket, distribution and log bucket are in the Web stack", () => {
    const web = (result: SynthResult) =>
      resources(result, undefined, "Web")
        .filter((r) => r.Type === "AWS::S3::Bucket" || r.Type === "AWS::CloudFront::Distribution")
        .map(key)
        .sort();
    expect(web(deployed)).toHaveLength(3);
    expect(web(dev)).toEqual(web(deployed));
  });

  it("deletes nothing at all: every resource of the deploy is in dev mode under its logical id", () => {
    const after = byKey(dev);
    expect([...byKey(deployed).keys()].filter((k) => !after.has(k))).toEqual([]);
    // What dev mode adds: SST's no-retry setting on each stub (EventInvokeConfig).
    const before = byKey(deployed);
    const added = new Set(
      [...after.values()].filter((r) => !before.has(key(r))).map((r) => r.Type),
    );
    expect([...added]).toEqual(["AWS::Lambda::EventInvokeConfig"]);
  });
});
