import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { stagePhotoBucket } from "../src/commands/seed.js";
import { CliError } from "../src/errors.js";
import { resolveSmokeTarget } from "../src/smoke/target.js";
import { FileSmokeUserStore } from "../src/smoke-user/store.js";

/**
 * A deployed stage's outputs come from CloudFormation, not from whatever the last (maybe
 * partial) `sst deploy` left in .sst/outputs.json. DescribeStacks answers are in the shape
 * the SDK returns for SST's stacks: SST's metadata and CDK's exports among the outputs.
 */
const cfn = mockClient(CloudFormationClient);
const dir = mkdtempSync(join(tmpdir(), "localstays-stage-outputs-"));
afterAll(() => {
  cfn.restore();
  rmSync(dir, { recursive: true, force: true });
});

const ACCOUNT = "041608526793";
const API_URL = "https://k3x9q2.execute-api.eu-north-1.amazonaws.com";
const POOL_ID = "eu-north-1_Q8dLw2Nz1";
const CLIENT_ID = "4kq1s6hd8v0c2mb7rj5ne3fa9t";
const BUCKET = "localstaysstagingstorages-photosbucket3e0c8a7b-1x2y3z4w5v6u";
const IMAGES_URL = "https://d1a2b3c4d5e6f7.cloudfront.net";
const WEB_URL = "https://d9z8y7x6w5v4u3.cloudfront.net";

function stack(name: string, outputs: Record<string, string>): DescribeStacksCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: "5f1c7d3e-0b9a-4e51-8a52-1f0d6b2c9e47" },
    Stacks: [
      {
        StackId: `arn:aws:cloudformation:eu-north-1:${ACCOUNT}:stack/${name}/9a1e4b20-6c3d-11ef-8f21-0a5c3e1b7d2f`,
        StackName: name,
        CreationTime: new Date("2026-11-20T09:12:44.512Z"),
        LastUpdatedTime: new Date("2026-12-01T16:03:10.218Z"),
        StackStatus: "UPDATE_COMPLETE",
        DisableRollback: false,
        NotificationARNs: [],
        Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        Outputs: [
          ...Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
          { OutputKey: "SSTMetadata", OutputValue: '{"app":"localstays","stage":"staging"}' },
          {
            OutputKey: "ExportsOutputRefKey0D1E7A0C9B3F6A21",
            OutputValue: "2f6c1a9e-44b7-4c1d-9d0e-8b3a5f7e6c21",
            ExportName: `${name}:ExportsOutputRefKey0D1E7A0C9B3F6A21`,
          },
        ],
        Tags: [
          { Key: "app", Value: "localstays" },
          { Key: "stage", Value: "staging" },
        ],
        EnableTerminationProtection: false,
        DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
      },
    ],
  };
}

function serviceError(name: string, status: number, message: string) {
  return new CloudFormationServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status, requestId: "0c7e2b9d-3f41-4a8e-b6d5-7e1a2c9f0b34" },
    message,
  });
}

const notDeployed = (name: string) =>
  serviceError("ValidationError", 400, `Stack with id ${name} does not exist`);
const accessDenied = serviceError(
  "AccessDenied",
  403,
  `User: arn:aws:sts::${ACCOUNT}:assumed-role/ReadOnly/ana is not authorized to perform: ` +
    `cloudformation:DescribeStacks on resource: arn:aws:cloudformation:eu-north-1:${ACCOUNT}:` +
    "stack/LocalstaysStagingApiStack/* because no identity-based policy allows the " +
    "cloudformation:DescribeStacks action",
);
// What the SDK's default credential chain throws in a shell without any credentials.
const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), {
  name: "CredentialsProviderError",
});

function deployed() {
  cfn
    .on(DescribeStacksCommand, { StackName: "LocalstaysStagingApiStack" })
    .resolves(stack("LocalstaysStagingApiStack", { ApiUrl: API_URL }))
    .on(DescribeStacksCommand, { StackName: "LocalstaysStagingAuthStack" })
    .resolves(
      stack("LocalstaysStagingAuthStack", { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID }),
    )
    .on(DescribeStacksCommand, { StackName: "LocalstaysStagingStorageStack" })
    .resolves(stack("LocalstaysStagingStorageStack", { BucketName: BUCKET, ImagesUrl: IMAGES_URL }))
    .on(DescribeStacksCommand, { StackName: "LocalstaysStagingWebStack" })
    .resolves(stack("LocalstaysStagingWebStack", { WebUrl: WEB_URL }));
}

/** An SST outputs file, as `sst deploy` writes it. */
function outputsFile(name: string, content: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

// What `pnpm sst deploy Api --stage staging` leaves: that one stack, with an older URL.
const afterPartialDeploy = () =>
  outputsFile("partial.json", {
    LocalstaysStagingApiStack: { ApiUrl: "https://old0ld.execute-api.eu-north-1.amazonaws.com" },
  });
const smokeUser = { SMOKE_USERNAME: "smoke@example.com", SMOKE_PASSWORD: "Smoke-pass-123" };

let logged: string[];
const log = (line: string) => logged.push(line);
beforeEach(() => {
  cfn.reset();
  logged = [];
});

describe("a deployed stage's outputs", () => {
  it("smoke finds the API, the dashboard and the app client in CloudFormation after a one-stack deploy", async () => {
    deployed();
    const target = await resolveSmokeTarget({ stage: "staging", requireUser: true }, smokeUser, {
      sstOutputsFile: afterPartialDeploy(),
      log,
    });
    expect(target).toMatchObject({
      apiUrl: API_URL,
      expectedStage: "staging",
      cognito: { clientId: CLIENT_ID, region: "eu-north-1" },
      user: { username: "smoke@example.com" },
      // CloudFront sends the Web stack's CSP: smoke requires it.
      web: { url: WEB_URL, csp: true },
    });
    const asked = cfn.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input);
    expect(asked).toEqual([
      { StackName: "LocalstaysStagingApiStack" },
      { StackName: "LocalstaysStagingWebStack" },
      { StackName: "LocalstaysStagingAuthStack" },
    ]);
    expect(await cfn.call(0).thisValue.config.region()).toBe("eu-north-1");
    expect(logged).toEqual([]);
  });

  it("seed finds the photo bucket of the Storage stack, without SST's metadata or CDK's exports", async () => {
    deployed();
    const bucket = await stagePhotoBucket(
      { stage: "staging", region: "eu-north-1" },
      { fallbackFile: afterPartialDeploy(), log },
    );
    expect(bucket).toEqual({ BucketName: BUCKET, ImagesUrl: IMAGES_URL });
  });

  it("says a stage is not deployed when a stack is missing, whatever the file holds", async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(notDeployed("LocalstaysStagingStorageStack"))
      .on(DescribeStacksCommand, { StackName: "LocalstaysStagingApiStack" })
      .resolves(stack("LocalstaysStagingApiStack", { ApiUrl: API_URL }));
    const file = outputsFile("complete.json", {
      LocalstaysStagingStorageStack: { BucketName: BUCKET, ImagesUrl: IMAGES_URL },
    });
    const refused = stagePhotoBucket(
      { stage: "staging", region: "eu-north-1" },
      { fallbackFile: file },
    );
    await expect(refused).rejects.toThrow(CliError);
    await expect(refused).rejects.toThrow(
      "Stage staging is not deployed in eu-north-1: Stack with id LocalstaysStagingStorageStack " +
        "does not exist. Deploy it first (`pnpm sst deploy --stage staging`), pass --region",
    );
  });

  it("says which output a half-deployed stack lacks", async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves(stack("LocalstaysStagingStorageStack", { BucketName: BUCKET }));
    await expect(
      stagePhotoBucket(
        { stage: "staging", region: "eu-north-1" },
        { fallbackFile: join(dir, "none") },
      ),
    ).rejects.toThrow(
      "CloudFormation (eu-north-1) has no LocalstaysStagingStorageStack's ImagesUrl: stage staging is not fully deployed.",
    );
  });

  it("falls back to .sst/outputs.json when access is denied and the file has every output needed, and says so", async () => {
    cfn.on(DescribeStacksCommand).rejects(accessDenied);
    const file = outputsFile("complete.json", {
      LocalstaysStagingStorageStack: { BucketName: BUCKET, ImagesUrl: IMAGES_URL },
    });
    const bucket = await stagePhotoBucket(
      { stage: "staging", region: "eu-north-1" },
      { fallbackFile: file, log },
    );
    expect(bucket).toEqual({ BucketName: BUCKET, ImagesUrl: IMAGES_URL });
    expect(logged).toEqual([
      expect.stringMatching(
        /^Cannot read stage staging's outputs from CloudFormation \(eu-north-1\) \(AccessDenied: User: .* is not authorized to perform: cloudformation:DescribeStacks.*\); using .*complete\.json, the last deploy from this checkout\.$/,
      ),
    ]);
  });

  it("refuses a partial file when access is denied, naming the denial and what the file lacks", async () => {
    cfn.on(DescribeStacksCommand).rejects(accessDenied);
    const file = afterPartialDeploy();
    await expect(
      stagePhotoBucket({ stage: "staging", region: "eu-north-1" }, { fallbackFile: file }),
    ).rejects.toThrow(
      new RegExp(
        "^Cannot read stage staging's outputs from CloudFormation \\(eu-north-1\\) with the current " +
          "AWS credentials \\(AccessDenied: .*\\), and .*partial\\.json has no " +
          "LocalstaysStagingStorageStack's BucketName\\. Sign in to the stage's account",
      ),
    );
  });

  it("without credentials and without a file, smoke says what to do", async () => {
    cfn.on(DescribeStacksCommand).rejects(noCredentials);
    await expect(
      resolveSmokeTarget({ stage: "dev1" }, {}, { sstOutputsFile: join(dir, "none.json"), log }),
    ).rejects.toThrow(
      "Cannot read stage dev1's outputs from CloudFormation (eu-north-1) with the current AWS " +
        "credentials (CredentialsProviderError: Could not load credentials from any providers), " +
        `and ${join(dir, "none.json")} does not exist. Sign in to the stage's account ` +
        "(e.g. `aws sso login`), or pass --url.",
    );
  });

  it("with --url, an unreadable stage leaves only the app client unknown", async () => {
    cfn.on(DescribeStacksCommand).rejects(noCredentials);
    const lookup = {
      sstOutputsFile: join(dir, "none.json"),
      log,
      smokeUserStore: () => new FileSmokeUserStore(join(dir, "no-smoke-user.json")),
    };
    const target = await resolveSmokeTarget({ stage: "dev1", url: API_URL }, {}, lookup);
    expect(target).toMatchObject({ apiUrl: API_URL, cognito: undefined });
    await expect(
      resolveSmokeTarget({ stage: "dev1", url: API_URL }, smokeUser, lookup),
    ).rejects.toThrow(
      /Signing in smoke@example.com needs LocalstaysDev1AuthStack's UserPoolClientId/,
    );
    // --url and --client-id: nothing to look up.
    cfn.reset();
    await resolveSmokeTarget(
      { stage: "dev1", url: API_URL, clientId: CLIENT_ID },
      smokeUser,
      lookup,
    );
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });
});
