import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { liveCheck, metadataKey } from "../src/commands/live-check.js";
import { CliError } from "../src/errors.js";

/**
 * `localstays live-check` (the dev1 deploy job's first AWS step) on the shapes SST v2 writes:
 * the SSTBootstrap stack's BucketName output, and `{"mode":"dev"|"deploy"}` at
 * appMetadata/app.localstays/stage.<stage>.json in that bucket.
 */
const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const BUCKET = "sstbootstrap-eunorth1-7f3a9c1b";

const body = (text: string) =>
  ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput["Body"];

function bootstrapped() {
  cloudFormation.on(DescribeStacksCommand, { StackName: "SSTBootstrap" }).resolves({
    Stacks: [
      {
        StackName: "SSTBootstrap",
        CreationTime: new Date("2026-10-01T08:00:00Z"),
        StackStatus: "UPDATE_COMPLETE",
        Outputs: [
          { OutputKey: "Version", OutputValue: "7.4" },
          { OutputKey: "BucketName", OutputValue: BUCKET },
        ],
      },
    ],
  });
}

function recorded(mode: string) {
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: metadataKey("dev1") }).resolves({
    Body: body(JSON.stringify({ mode })),
  });
}

const run = async () => {
  const printed: string[] = [];
  const mode = await liveCheck(
    { stage: "dev1" },
    {
      cloudFormation: new CloudFormationClient({ region: "eu-north-1" }),
      s3: new S3Client({ region: "eu-north-1" }),
      print: (line) => printed.push(line),
      log: () => undefined,
    },
  );
  return { mode, printed };
};

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
});

describe("localstays live-check", () => {
  it("reads SST's key for the app and stage", () => {
    expect(metadataKey("dev1")).toBe("appMetadata/app.localstays/stage.dev1.json");
  });

  it("stops the pipeline when the stage's last deployment was `sst dev`, saying how to hand it back", async () => {
    bootstrapped();
    recorded("dev");
    const failure = run();
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(
      /stage dev1 was last deployed by `sst dev`.*not overwriting it.*`pnpm sst deploy --stage dev1`/,
    );
  });

  it("lets the deploy go on after `sst deploy`", async () => {
    bootstrapped();
    recorded("deploy");
    expect(await run()).toEqual({
      mode: "deploy",
      printed: ["OK: stage dev1 was last deployed by `sst deploy`."],
    });
  });

  it("lets the first deploy go on: no record of the stage, or no SST bootstrap in the region", async () => {
    bootstrapped();
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} }),
    );
    expect((await run()).mode).toBe("none");

    cloudFormation.reset();
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: "ValidationError",
        $fault: "client",
        message: "Stack with id SSTBootstrap does not exist",
        $metadata: {},
      }),
    );
    expect((await run()).mode).toBe("none");
  });

  it("fails, not passes, when it cannot read the record (denied) or the record is not SST's", async () => {
    bootstrapped();
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: "AccessDenied",
        $fault: "client",
        message: "Access Denied",
        $metadata: {},
      }),
    );
    await expect(run()).rejects.toThrow("Access Denied");

    s3.reset();
    recorded("live");
    await expect(run()).rejects.toThrow(/has mode "live", neither "dev" nor "deploy"/);
  });
});
