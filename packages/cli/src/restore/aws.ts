import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTagsOfResourceCommand,
  RestoreTableToPointInTimeCommand,
  type TableDescription,
  type Tag,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { GetParameterCommand, PutParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import {
  tableName,
  tableSettingParameter,
  tableStreamSettingParameter,
} from "@localstays/core/table";
import { CliError } from "../errors.js";
import { type WaitOptions, waitForActive } from "./wait.js";

/**
 * The AWS side of `localstays restore`: a point-in-time restore of the stage's table into a
 * new table, and the cut-over that gives the restored table what a restore leaves behind
 * (stream, TTL, PITR, deletion protection, tags) and points the stage's table setting at it.
 */

export type RestorePoint = Date | "latest";

/** The table the stage uses now: its table setting, else the Data stack's own table. */
export async function currentTable(ssm: SSMClient, stage: string): Promise<string> {
  try {
    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: tableSettingParameter(stage) }),
    );
    if (Parameter?.Value) return Parameter.Value;
  } catch (error) {
    if ((error as Error).name !== "ParameterNotFound") throw error;
  }
  return tableName(stage);
}

export async function describe(client: DynamoDBClient, table: string): Promise<TableDescription> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (!Table) throw new CliError(`DynamoDB described no table ${table}.`);
    return Table;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") {
      throw new CliError(`There is no table ${table} in this account and region.`);
    }
    throw error;
  }
}

/**
 * The restore point checked against the source's PITR window: PITR must be on (stacks/
 * stage.ts turns it on in staging and prod), and an explicit time must lie in the window.
 */
export async function checkRestorePoint(
  client: DynamoDBClient,
  source: string,
  to: RestorePoint,
): Promise<{ earliest: Date; latest: Date }> {
  const { ContinuousBackupsDescription: backups } = await client.send(
    new DescribeContinuousBackupsCommand({ TableName: source }),
  );
  const pitr = backups?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== "ENABLED" || !pitr.EarliestRestorableDateTime) {
    throw new CliError(
      `Table ${source} has no point-in-time recovery (${pitr?.PointInTimeRecoveryStatus ?? "unknown"}): ` +
        "there is nothing to restore from. PITR is on in staging and prod (stacks/stage.ts).",
    );
  }
  const earliest = pitr.EarliestRestorableDateTime;
  const latest = pitr.LatestRestorableDateTime ?? new Date();
  if (to !== "latest" && (to < earliest || to > latest)) {
    throw new CliError(
      `${to.toISOString()} is outside ${source}'s restore window: ` +
        `${earliest.toISOString()} to ${latest.toISOString()}.`,
    );
  }
  return { earliest, latest };
}

/**
 * Starts the restore into `target` (same key, on-demand billing) and waits until it and its
 * indexes are ACTIVE. A restore takes minutes to hours, depending on the table's size.
 */
export async function restoreToPointInTime(
  client: DynamoDBClient,
  source: TableDescription,
  target: string,
  to: RestorePoint,
  wait: WaitOptions = {},
): Promise<TableDescription> {
  const keyArn = source.SSEDescription?.KMSMasterKeyArn;
  try {
    await client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: source.TableName,
        TargetTableName: target,
        ...(to === "latest" ? { UseLatestRestorableTime: true } : { RestoreDateTime: to }),
        BillingModeOverride: "PAY_PER_REQUEST",
        // The stage's key, as on the source: the functions' grants name it.
        ...(keyArn
          ? { SSESpecificationOverride: { Enabled: true, SSEType: "KMS", KMSMasterKeyId: keyArn } }
          : {}),
      }),
    );
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TableAlreadyExistsException") {
      throw new CliError(`Table ${target} exists already: a restore never writes into a table.`);
    }
    if (
      name === "PointInTimeRecoveryUnavailableException" ||
      name === "InvalidRestoreTimeException"
    ) {
      throw new CliError(`DynamoDB refused the restore point: ${(error as Error).message}`);
    }
    throw error;
  }
  return waitForActive(client, target, wait);
}

/**
 * Gives the restored table what a restore does not bring along, as the source had it: its
 * stream (same view type), TTL attribute, PITR, deletion protection and tags (the `stage`
 * cost-allocation tag the budget filters on, and the backup plan's tag). Each step waits for
 * the table to be ACTIVE again; a failure stops before the setting is touched.
 */
export async function restoreTableFeatures(
  client: DynamoDBClient,
  source: TableDescription,
  target: TableDescription,
  options: { progress?: (line: string) => void; wait?: WaitOptions } = {},
): Promise<string[]> {
  const done: string[] = [];
  const name = target.TableName as string;
  const step = async (what: string, run: () => Promise<unknown>) => {
    options.progress?.(`  ${what}`);
    await run();
    await waitForActive(client, name, { pollMs: 5_000, ...options.wait });
    done.push(what);
  };
  const stream = source.StreamSpecification;
  if (stream?.StreamEnabled && !target.StreamSpecification?.StreamEnabled) {
    await step(`stream (${stream.StreamViewType})`, () =>
      client.send(
        new UpdateTableCommand({
          TableName: name,
          StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType },
        }),
      ),
    );
  }
  const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: source.TableName })))
    .TimeToLiveDescription;
  if (ttl?.AttributeName && ["ENABLED", "ENABLING"].includes(ttl.TimeToLiveStatus ?? "")) {
    const attribute = ttl.AttributeName;
    await step(`TTL on ${attribute}`, () =>
      client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
        }),
      ),
    );
  }
  const pitr = (
    await client.send(new DescribeContinuousBackupsCommand({ TableName: source.TableName }))
  ).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus === "ENABLED") {
    await step("point-in-time recovery", () =>
      client.send(
        new UpdateContinuousBackupsCommand({
          TableName: name,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ),
    );
  }
  if (source.DeletionProtectionEnabled) {
    await step("deletion protection", () =>
      client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: true })),
    );
  }
  const tags: Tag[] = [];
  let next: string | undefined;
  do {
    const page = await client.send(
      new ListTagsOfResourceCommand({ ResourceArn: source.TableArn, NextToken: next }),
    );
    tags.push(...(page.Tags ?? []));
    next = page.NextToken;
  } while (next);
  // aws:* tags (CloudFormation's) are AWS's to set.
  const ours = tags.filter((tag) => !tag.Key?.startsWith("aws:"));
  if (ours.length) {
    await step(`tags (${ours.map((tag) => tag.Key).join(", ")})`, () =>
      client.send(new TagResourceCommand({ ResourceArn: target.TableArn, Tags: ours })),
    );
  }
  return done;
}

/**
 * Points the stage's table setting at `table`, and its stream setting at the table's stream
 * (the outbox delivery's event source); the next deploy moves the functions and the mapping.
 * The stream first: a failure between the two leaves the table setting as it was.
 */
export async function writeTableSetting(ssm: SSMClient, stage: string, table: TableDescription) {
  const name = table.TableName as string;
  if (!table.LatestStreamArn) {
    throw new CliError(`${name} has no stream: the outbox delivery could not read it.`);
  }
  for (const [parameter, value] of [
    [tableStreamSettingParameter(stage), table.LatestStreamArn],
    [tableSettingParameter(stage), name],
  ] as const) {
    await ssm.send(
      new PutParameterCommand({ Name: parameter, Value: value, Type: "String", Overwrite: true }),
    );
  }
}
