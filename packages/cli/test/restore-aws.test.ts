import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  TableAlreadyExistsException,
  type TableDescription,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { TableSchema } from "@localstays/core/table";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseRestorePoint, restore } from "../src/commands/restore.js";
import { CliError } from "../src/errors.js";

/**
 * The AWS side of `localstays restore`, which DynamoDB Local cannot exercise (no PITR, no
 * streams' re-creation, no SSM): DynamoDB and SSM mocked with responses in the API's shape,
 * failures included. The local rehearsal (restore-local.test.ts) runs the real thing.
 */
const dynamo = mockClient(DynamoDBClient);
const ssm = mockClient(SSMClient);
const DEV_ACCOUNT = "041608526793";
const PROD_ACCOUNT = "210987654321";
const KEY = `arn:aws:kms:eu-north-1:${DEV_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const NOW = new Date("2026-12-02T15:00:00Z");
const RESTORED = "localstays-staging-restore-20261202t150000z";
const lines: string[] = [];
const sleep = vi.fn(async () => {});
const io = { log: (line: string) => lines.push(line), wait: { pollMs: 1, sleep }, now: () => NOW };

beforeEach(() => {
  lines.length = 0;
  sleep.mockClear();
});
afterEach(() => {
  dynamo.reset();
  ssm.reset();
  vi.unstubAllEnvs();
});
// Before the test setup's own afterAll deletes this file's table in DynamoDB Local.
afterAll(() => {
  dynamo.restore();
  ssm.restore();
});

const indexes = (status: "CREATING" | "ACTIVE") =>
  Object.keys(TableSchema.globalIndexes).map((IndexName) => ({ IndexName, IndexStatus: status }));

function table(name: string, account: string, extra: Partial<TableDescription> = {}) {
  return {
    TableName: name,
    TableArn: `arn:aws:dynamodb:eu-north-1:${account}:table/${name}`,
    TableStatus: "ACTIVE",
    GlobalSecondaryIndexes: indexes("ACTIVE"),
    SSEDescription: { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: KEY },
    ...extra,
  } satisfies TableDescription;
}

const notFound = () =>
  new ResourceNotFoundException({ message: "Requested resource not found", $metadata: {} });

/** Stage staging whose setting names `source`, with PITR over the last 35 days. */
function staging(source = "localstays-staging", extra: Partial<TableDescription> = {}) {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: source } });
  dynamo.on(DescribeTableCommand, { TableName: source }).resolves({
    Table: table(source, DEV_ACCOUNT, extra),
  });
  dynamo.on(DescribeContinuousBackupsCommand).resolves({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: "ENABLED",
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: "ENABLED",
        EarliestRestorableDateTime: new Date("2026-10-28T15:00:00Z"),
        LatestRestorableDateTime: new Date("2026-12-02T14:55:00Z"),
      },
    },
  });
  dynamo.on(ScanCommand).resolves({
    Items: [
      { pk: { S: "_migration#state" }, sk: { S: "0001" } },
      { pk: { S: "h" }, sk: { S: "h" }, __edb_e__: { S: "host" } },
    ],
  });
}

/** The restored table: not there, then CREATING (indexes too), then ACTIVE for good. */
/** The stream DynamoDB gives a table once UpdateTable enables one (its label: the time). */
const streamArnOf = (name: string) =>
  `arn:aws:dynamodb:eu-north-1:${DEV_ACCOUNT}:table/${name}/stream/2026-12-02T15:20:00.000`;

function restoring(name = RESTORED) {
  // Described as DynamoDB does: with a stream once UpdateTable has enabled one.
  let streaming = false;
  dynamo.on(UpdateTableCommand).callsFake((input: { StreamSpecification?: unknown }) => {
    if (input.StreamSpecification) streaming = true;
    return {};
  });
  const active = () => ({
    Table: table(
      name,
      DEV_ACCOUNT,
      streaming
        ? {
            StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
            LatestStreamArn: streamArnOf(name),
          }
        : {},
    ),
  });
  dynamo
    .on(DescribeTableCommand, { TableName: name })
    .rejectsOnce(notFound())
    .resolvesOnce({
      Table: table(name, DEV_ACCOUNT, {
        TableStatus: "CREATING",
        GlobalSecondaryIndexes: indexes("CREATING"),
      }),
    })
    .resolvesOnce({
      Table: table(name, DEV_ACCOUNT, { GlobalSecondaryIndexes: indexes("CREATING") }),
    })
    .callsFake(active);
  dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
}

const calls = (
  mock: typeof dynamo | typeof ssm,
  command: Parameters<typeof dynamo.commandCalls>[0],
) => (mock as typeof dynamo).commandCalls(command).map((call) => call.args[0].input);

describe("localstays restore on AWS", () => {
  it("parses the restore point: latest, or an ISO time with its zone", () => {
    expect(parseRestorePoint("latest")).toBe("latest");
    expect(parseRestorePoint("2026-12-02T14:30:00Z")).toEqual(new Date("2026-12-02T14:30:00Z"));
    expect(parseRestorePoint("2026-12-02T15:30:00+01:00")).toEqual(
      new Date("2026-12-02T14:30:00Z"),
    );
    expect(() => parseRestorePoint("2026-12-02 14:30")).toThrow(/ISO time with its zone/);
    expect(() => parseRestorePoint("yesterday")).toThrow();
  });

  it("is a dry run without --apply: checks the window, restores nothing", async () => {
    staging();
    const result = await restore({ stage: "staging", to: "2026-12-01T12:00:00Z" }, io);
    expect(result).toEqual({ table: RESTORED, dryRun: true, cutOver: false });
    expect(calls(dynamo, RestoreTableToPointInTimeCommand)).toEqual([]);
    expect(calls(ssm, PutParameterCommand)).toEqual([]);
    expect(lines.join("\n")).toMatch(
      /Dry run: would restore localstays-staging at 2026-12-01T12:00:00.000Z/,
    );
  });

  it("refuses a time outside the PITR window, and a table without PITR", async () => {
    staging();
    await expect(
      restore({ stage: "staging", to: "2026-01-01T00:00:00Z", apply: true }, io),
    ).rejects.toThrow(/outside localstays-staging's restore window: 2026-10-28T15:00:00.000Z/);
    dynamo.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: "ENABLED",
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: "DISABLED" },
      },
    });
    await expect(restore({ stage: "staging", to: "latest", apply: true }, io)).rejects.toThrow(
      /has no point-in-time recovery \(DISABLED\)/,
    );
    expect(calls(dynamo, RestoreTableToPointInTimeCommand)).toEqual([]);
  });

  it("restores the table the stage's setting names, with its key, waiting with progress until every index is ACTIVE", async () => {
    // A stage cut over once already: its setting names an earlier restore, not localstays-staging.
    const source = "localstays-staging-restore-20261101t080000z";
    staging(source);
    restoring();
    const result = await restore({ stage: "staging", to: "latest", apply: true }, io);
    expect(result).toEqual({ table: RESTORED, dryRun: false, cutOver: false });
    expect(calls(dynamo, RestoreTableToPointInTimeCommand)).toEqual([
      {
        SourceTableName: source,
        TargetTableName: RESTORED,
        UseLatestRestorableTime: true,
        BillingModeOverride: "PAY_PER_REQUEST",
        SSESpecificationOverride: { Enabled: true, SSEType: "KMS", KMSMasterKeyId: KEY },
      },
    ]);
    const log = lines.join("\n");
    expect(log).toContain(`${RESTORED}: not there yet`);
    expect(log).toContain(`${RESTORED}: CREATING (GSI1 CREATING`);
    expect(log).toContain(`${RESTORED}: ACTIVE (GSI1 CREATING`);
    expect(log).toContain(`${RESTORED}: ACTIVE after`);
    expect(sleep).toHaveBeenCalledTimes(3);
    // Verified (counts by entity type), then the cut-over command, and nothing cut over.
    expect(log).toMatch(/host\s+1/);
    expect(log).toMatch(/\(migration bookkeeping\)\s+1/);
    expect(log).toContain(`restore --stage staging --cutover-to ${RESTORED} --apply`);
    expect(calls(ssm, PutParameterCommand)).toEqual([]);
    expect(calls(dynamo, UpdateTableCommand)).toEqual([]);
  });

  it("says what DynamoDB refused: an existing target table, a table that fails", async () => {
    staging();
    dynamo
      .on(RestoreTableToPointInTimeCommand)
      .rejects(new TableAlreadyExistsException({ message: "Table already exists", $metadata: {} }));
    await expect(restore({ stage: "staging", to: "latest", apply: true }, io)).rejects.toThrow(
      /exists already: a restore never writes into a table/,
    );
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    dynamo.on(DescribeTableCommand, { TableName: RESTORED }).resolves({
      Table: table(RESTORED, DEV_ACCOUNT, { TableStatus: "INACCESSIBLE_ENCRYPTION_CREDENTIALS" }),
    });
    await expect(restore({ stage: "staging", to: "latest", apply: true }, io)).rejects.toThrow(
      /is INACCESSIBLE_ENCRYPTION_CREDENTIALS, not on its way to ACTIVE/,
    );
  });

  it("gives up waiting with the command to finish later", async () => {
    staging();
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    dynamo.on(DescribeTableCommand, { TableName: RESTORED }).resolves({
      Table: table(RESTORED, DEV_ACCOUNT, { TableStatus: "CREATING" }),
    });
    let clock = 0;
    const wait = {
      pollMs: 60_000,
      timeoutMs: 180_000,
      sleep: async (ms: number) => {
        clock += ms;
      },
      now: () => clock,
    };
    await expect(
      restore({ stage: "staging", to: "latest", apply: true }, { ...io, wait }),
    ).rejects.toThrow(/still CREATING after 180 s.*--cutover-to/);
  });

  it("fails verification of a restored table that lacks an index, and cuts nothing over", async () => {
    staging();
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    dynamo.on(DescribeTableCommand, { TableName: RESTORED }).resolves({
      Table: table(RESTORED, DEV_ACCOUNT, { GlobalSecondaryIndexes: indexes("ACTIVE").slice(1) }),
    });
    await expect(
      restore({ stage: "staging", to: "latest", apply: true, cutover: true }, io),
    ).rejects.toThrow(/failed verification; the stage was not touched:\n {2}index GSI1 is missing/);
    expect(calls(ssm, PutParameterCommand)).toEqual([]);
  });

  it("cuts over: stream, TTL, PITR, deletion protection and tags as the source had them, then the setting", async () => {
    staging("localstays-staging", {
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      DeletionProtectionEnabled: true,
    });
    ssm
      .on(GetParameterCommand)
      .rejects(new ParameterNotFound({ message: "not found", $metadata: {} }));
    restoring();
    dynamo.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: "ENABLED", AttributeName: "expiresAt" },
    });
    dynamo
      .on(ListTagsOfResourceCommand)
      .resolvesOnce({
        Tags: [
          { Key: "stage", Value: "staging" },
          { Key: "aws:cloudformation:stack-name", Value: "LocalstaysStagingDataStack" },
        ],
        NextToken: "page-2",
      })
      .resolves({ Tags: [{ Key: "cost-centre", Value: "localstays-staging" }] });
    const result = await restore(
      { stage: "staging", to: "latest", apply: true, cutover: true },
      io,
    );
    expect(result).toEqual({ table: RESTORED, dryRun: false, cutOver: true });

    expect(calls(dynamo, UpdateTableCommand)).toEqual([
      {
        TableName: RESTORED,
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      },
      { TableName: RESTORED, DeletionProtectionEnabled: true },
    ]);
    expect(calls(dynamo, UpdateTimeToLiveCommand)).toEqual([
      {
        TableName: RESTORED,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" },
      },
    ]);
    expect(calls(dynamo, UpdateContinuousBackupsCommand)).toEqual([
      {
        TableName: RESTORED,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    ]);
    expect(calls(dynamo, TagResourceCommand)).toEqual([
      {
        ResourceArn: `arn:aws:dynamodb:eu-north-1:${DEV_ACCOUNT}:table/${RESTORED}`,
        Tags: [
          { Key: "stage", Value: "staging" },
          { Key: "cost-centre", Value: "localstays-staging" },
        ],
      },
    ]);
    // The stream setting first (the outbox delivery's event source), then the table setting.
    expect(calls(ssm, PutParameterCommand)).toEqual([
      {
        Name: "/localstays/staging/table-stream-arn",
        Value: streamArnOf(RESTORED),
        Type: "String",
        Overwrite: true,
      },
      { Name: "/localstays/staging/table-name", Value: RESTORED, Type: "String", Overwrite: true },
    ]);
    expect(lines.join("\n")).toMatch(
      /Deploy stage staging .* to move every function to it; localstays-staging is kept/,
    );
    expect(calls(dynamo, DeleteTableCommand)).toEqual([]);
  });

  it("leaves the setting alone when restoring a feature fails", async () => {
    staging();
    dynamo
      .on(DescribeTableCommand, { TableName: RESTORED })
      .resolves({ Table: table(RESTORED, DEV_ACCOUNT) });
    dynamo.on(DescribeTimeToLiveCommand).resolves({
      TimeToLiveDescription: { TimeToLiveStatus: "ENABLED", AttributeName: "expiresAt" },
    });
    dynamo
      .on(UpdateTimeToLiveCommand)
      .rejects(new Error("LimitExceededException: too many TTL changes"));
    await expect(
      restore({ stage: "staging", cutoverTo: RESTORED, apply: true }, io),
    ).rejects.toThrow(/too many TTL changes/);
    expect(calls(ssm, PutParameterCommand)).toEqual([]);
  });

  it("refuses prod: without --i-know-this-is-prod, without the prod account, in another account", async () => {
    await expect(restore({ stage: "prod", to: "latest", apply: true }, io)).rejects.toThrow(
      /Refusing to restore prod without --i-know-this-is-prod/,
    );
    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", "");
    await expect(
      restore({ stage: "prod", to: "latest", apply: true, iKnowThisIsProd: true }, io),
    ).rejects.toThrow(/prod account is not configured/);
    expect(dynamo.calls()).toEqual([]);

    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", PROD_ACCOUNT);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "localstays-prod" } });
    dynamo.on(DescribeTableCommand).resolves({ Table: table("localstays-prod", DEV_ACCOUNT) });
    await expect(
      restore({ stage: "prod", to: "latest", apply: true, iKnowThisIsProd: true }, io),
    ).rejects.toThrow(CliError);
    expect(calls(dynamo, RestoreTableToPointInTimeCommand)).toEqual([]);
  });
});
