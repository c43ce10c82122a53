import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startDynamoDbLocal } from "../../packages/local/src/dynamodb.js";
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
 * needs a table, not the whole local stack. The local stack's DynamoDB Local with a bigger
 * heap: with two tables of 50 000 listings, the
 * sequential script's unbounded Scan pages exhaust the stack's 256 MB (DynamoDB Local
 * answers InternalFailure, its log says OutOfMemoryError). Java stops when `fn` settles, on
 * Ctrl-C or SIGTERM, and, as a last resort, on any exit.
 */
export async function withDynamoDbLocal(fn: (dynamo: BenchDynamoDb) => Promise<void>) {
  const started = performance.now();
  const dynamo = await startDynamoDbLocal({ port: await freePort(), heapMb: 1024 });
  log(`DynamoDB Local up in ${fixed((performance.now() - started) / 1000)} s (${dynamo.endpoint})`);

  const killJava = () => {
    if (dynamo.pid !== undefined) process.kill(dynamo.pid, "SIGKILL");
  };
  process.once("exit", killJava);
  const interrupt = () => {
    log("interrupted: stopping DynamoDB Local");
    void dynamo.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt).once("SIGTERM", interrupt);
  try {
    await fn({ endpoint: dynamo.endpoint, cpuMs: () => processCpuMs(dynamo.pid) });
  } finally {
    process.off("SIGINT", interrupt).off("SIGTERM", interrupt);
    await dynamo.stop();
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
