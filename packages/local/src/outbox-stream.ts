import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { Runtime } from "@localstays/core/runtime";
import { MAIL_FUNCTIONS, outboxDeliveryFunctionName } from "@localstays/functions/function-names";
import { outboxIdOf } from "@localstays/functions/mail/outbox";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";

/**
 * In AWS: the table's stream -> an event source mapping that passes only new outbox items
 * (stacks/Mail.ts) -> the outbox delivery function, a failed record retried, then the DLQ.
 * Here: the same stream of DynamoDB Local, read with the Streams API (DescribeStream,
 * GetShardIterator, GetRecords), filtered the same way, handed to the same handler as a
 * DynamoDB stream event, with the same partial-batch answer honoured: up to three attempts
 * per record, then the local DLQ. Like the upload events, but polled: DynamoDB Local pushes
 * nothing.
 */
export interface OutboxStreamOptions {
  runtime: Runtime;
  stage: string;
  region: string;
  log: Log;
  /** How often to ask the stream for new records. */
  pollMs?: number;
  retryDelaysMs?: readonly number[];
}

export interface OutboxStream {
  /** Resolves once every record the stream has now was handled. */
  idle(): Promise<void>;
  deadLetters: { outboxId: string; error: string }[];
  stop(): Promise<void>;
}

const MAX_ATTEMPTS = 3;

export async function startOutboxStream(options: OutboxStreamOptions): Promise<OutboxStream> {
  const { runtime, stage, region, log } = options;
  const pollMs = options.pollMs ?? 250;
  const retryDelays = options.retryDelaysMs ?? [500, 2000];
  const { TABLE_NAME, DYNAMODB_ENDPOINT } = runtime.config;
  const { Table } = await runtime
    .dynamo()
    .send(new DescribeTableCommand({ TableName: TABLE_NAME }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn)
    throw new Error(`Table ${TABLE_NAME} has no stream: the outbox cannot be delivered`);
  const streams = new DynamoDBStreamsClient(runtime.clientSettings(DYNAMODB_ENDPOINT));
  const handler = loadHandler(MAIL_FUNCTIONS.outboxDelivery);
  const functionName = outboxDeliveryFunctionName(stage);
  const deadLetters: OutboxStream["deadLetters"] = [];
  /** Shard id -> next iterator; a shard whose iterator ran out is closed and dropped. */
  const iterators = new Map<string, string>();
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();

  // Only what is written from now on: the outbox items of earlier runs were delivered then,
  // or stay PENDING in the table for `localstays` to look at, as after a DLQ in AWS.
  async function discoverShards(position: "LATEST" | "TRIM_HORIZON") {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (iterators.has(shardId) || shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: position,
        }),
      );
      if (ShardIterator) iterators.set(shardId, ShardIterator);
    }
  }
  await discoverShards("LATEST");

  async function pollOnce() {
    if (!iterators.size) await discoverShards("TRIM_HORIZON");
    for (const [shardId, iterator] of [...iterators]) {
      const { Records = [], NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      if (NextShardIterator) iterators.set(shardId, NextShardIterator);
      else iterators.delete(shardId);
      for (const record of Records) {
        const event = toLambdaRecord(record, streamArn as string, region);
        const outboxId = outboxIdOf(event);
        if (outboxId && !stopped) await deliver(event, outboxId);
      }
    }
  }

  async function deliver(record: DynamoDBRecord, outboxId: string) {
    let lastError = "";
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !stopped; attempt++) {
      const event: DynamoDBStreamEvent = { Records: [record] };
      try {
        const result = (await invokeHandler(await handler, event, {
          functionName,
          region,
          timeoutMs: 30_000,
          runtime,
        })) as DynamoDBBatchResponse | undefined;
        if (!result?.batchItemFailures?.length) return;
        lastError = "the handler reported the record as failed";
      } catch (error) {
        lastError = (error as Error).message;
      }
      const delay = retryDelays[attempt - 1];
      if (attempt < MAX_ATTEMPTS && delay !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (stopped) return;
    deadLetters.push({ outboxId, error: lastError });
    log.error(
      `Outbox delivery gave up on ${outboxId} after ${MAX_ATTEMPTS} attempts: ${lastError}`,
    );
  }

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    busy = pollOnce()
      .catch((error) => {
        if (!stopped) log.error("Reading the table's stream failed", error);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  };
  loop();

  return {
    deadLetters,
    async idle() {
      // Two rounds: the one running may have started before the caller's write.
      await busy;
      await new Promise((resolve) => setTimeout(resolve, pollMs + 10));
      await busy;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await busy;
      streams.destroy();
    },
  };
}

/** A Streams API record as Lambda hands it to a function (the same JSON, plus the source ARN). */
function toLambdaRecord(record: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  return {
    ...(record as unknown as DynamoDBRecord),
    awsRegion: region,
    eventSourceARN: streamArn,
  };
}
