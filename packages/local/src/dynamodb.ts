import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { createTableInput } from "@localstays/core/table";
import { type RunningService, stopChild, waitUntilListening } from "./child-process.js";

/**
 * DynamoDB Local — AWS's own emulator — from the jar that ships inside the npm package
 * amplify-dynamodb-simulator. We start Java directly: the package's JS wrapper would pull
 * the whole Amplify CLI.
 */
const require = createRequire(import.meta.url);

export function dynamoDbLocalDir(): string {
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Directory for the database file; omitted means in memory (tests). */
  dbPath?: string;
  /** Java heap; 256 MB fits the local stack and the tests (bench:migrate's 100k items need more). */
  heapMb?: number;
}

export function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "Java was not found. DynamoDB Local needs a Java 17+ runtime on PATH: " +
        "install one (Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`, macOS: `brew install openjdk@17`) and try again.",
    );
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<RunningService> {
  assertJava();
  const dir = dynamoDbLocalDir();
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child = spawn(
    "java",
    [
      // Measured: a client-only JIT, serial GC and a small heap start ~30% faster and use
      // far less memory; DynamoDB Local's throughput is not what we test.
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      `-Xmx${options.heapMb ?? 256}m`,
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      join(dir, "DynamoDBLocal.jar"),
      ...storage,
      "-sharedDb",
      "-port",
      String(options.port),
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  await waitUntilListening(child, {
    port: options.port,
    name: "DynamoDB Local",
    output: () => stderr,
  });
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: () => stopChild(child),
  };
}

/**
 * Creates the table from core's schema unless it exists. An existing table is left alone:
 * its items are the developer's local state. A table that lacks an index the schema now
 * declares gets a warning (migrations are the place to add it, as in AWS).
 */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
): Promise<{ created: boolean; missingIndexes: string[] }> {
  const wanted = createTableInput(name);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missingIndexes = wanted.GlobalSecondaryIndexes.map((i) => i.IndexName).filter(
      (index) => !existing.has(index),
    );
    // A table from before the outbox has no stream: turn it on (the outbox delivery reads it).
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          StreamSpecification: wanted.StreamSpecification,
        }),
      );
    }
    return { created: false, missingIndexes };
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(wanted));
  return { created: true, missingIndexes: [] };
}
