import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { waitForPort } from "./ports.js";

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
}

export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
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
      "-Xmx256m",
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
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`DynamoDB Local exited with code ${code} before it was ready:\n${stderr}`)),
    ),
  );
  exited.catch(() => {});
  try {
    await Promise.race([waitForPort(options.port, 20_000, "DynamoDB Local"), exited]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { endpoint: `http://127.0.0.1:${options.port}`, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
