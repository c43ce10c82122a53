import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stopChild, waitUntilListening } from "../../packages/local/src/child-process.js";
import { assertJava, dynamoDbLocalDir } from "../../packages/local/src/dynamodb.js";
import { freePort } from "../../packages/local/src/ports.js";
import { fixed } from "../lib/format.js";
import { log } from "../lib/log.js";

export interface BenchDynamoDb {
  endpoint: string;
  /** CPU time DynamoDB Local has used so far, in ms (Linux; undefined elsewhere). */
  cpuMs(): number | undefined;
}

/**
 * Runs `fn` against a DynamoDB Local of its own (in memory, free port): the migration bench
 * needs a table, not the whole local stack. Same JVM flags as the local stack
 * (packages/local/src/dynamodb.ts) except the heap: with two tables of 50 000 listings, the
 * sequential script's unbounded Scan pages exhaust the stack's 256 MB (DynamoDB Local
 * answers InternalFailure, its log says OutOfMemoryError). Java stops when `fn` settles, on
 * Ctrl-C or SIGTERM, and, as a last resort, on any exit.
 */
export async function withDynamoDbLocal(fn: (dynamo: BenchDynamoDb) => Promise<void>) {
  assertJava();
  const started = performance.now();
  const port = await freePort();
  const dir = dynamoDbLocalDir();
  const child = spawn(
    "java",
    [
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      "-Xmx1g",
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-jar",
      join(dir, "DynamoDBLocal.jar"),
      "-inMemory",
      "-sharedDb",
      "-port",
      String(port),
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  await waitUntilListening(child, { port, name: "DynamoDB Local", output: () => stderr });
  const endpoint = `http://127.0.0.1:${port}`;
  log(`DynamoDB Local up in ${fixed((performance.now() - started) / 1000)} s (${endpoint})`);

  const killJava = () => child.kill("SIGKILL");
  process.once("exit", killJava);
  const interrupt = () => {
    log("interrupted: stopping DynamoDB Local");
    void stopChild(child).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
  try {
    await fn({ endpoint, cpuMs: () => processCpuMs(child.pid) });
  } finally {
    process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
    await stopChild(child);
    process.off("exit", killJava);
  }
}

/** utime + stime of a process from /proc (clock ticks of 10 ms on Linux). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
