import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { Runtime } from "@localstays/core/runtime";
import type { SeedResult } from "@localstays/core/seed";
import { tableName } from "@localstays/core/table";
import { assertJava } from "./dynamodb.js";
import type { Log } from "./log.js";
import { createLog } from "./log.js";
import type { OutboxStream } from "./outbox-stream.js";
import { type Outputs, writeOutputs } from "./outputs.js";
import { dataPaths, defaultDataDir, prepareDataDir } from "./paths.js";
import { resolvePorts, type StackPorts } from "./stack-ports.js";
import { type DemoCounts, type Provisioned, provision } from "./stack-provision.js";
import { serve } from "./stack-serve.js";
import { startServices } from "./stack-services.js";
import { recordPids, stopStaleProcesses } from "./stale-processes.js";
import { readTableSetting, watchTableSetting } from "./table-setting.js";
import type { UploadEvents } from "./upload-events.js";
import type { UploadSweeperSchedule } from "./upload-sweeper.js";
import type { WebMode } from "./web.js";

/**
 * The whole local stack: DynamoDB Local, s3rver, cognito-local, the Lambda endpoint for
 * Cognito triggers, and the API gateway, with the table, bucket, pool and demo users they
 * need. Every step is idempotent, so a restart keeps the developer's data.
 *
 * Three phases, each returning a typed handle that owns its clean-up: services
 * (stack-services.ts), provisioning (stack-provision.ts), serving (stack-serve.ts). The stack
 * stops them in reverse order. The handlers run in the stack's own runtime, so several
 * stacks, each with its own DynamoDB or table, can run in one process.
 */
export interface StartOptions {
  /** Defaults to `<repo>/.localstays`. */
  dataDir?: string;
  /** Fixed ports (defaults 3000/8000/4569/9229/3001), or "free" for tests. */
  ports?: "free" | Partial<StackPorts>;
  /** Wipe the data directory first. */
  fresh?: boolean;
  /** Only warnings and errors on the console. */
  quiet?: boolean;
  /** Use a DynamoDB that already runs (the test run's shared one) instead of starting Java. */
  dynamodb?: { endpoint: string; tableName: string };
  region?: string;
  /**
   * Seed demo hosts and listings (core/seed) when the table has no listing yet, and give the
   * demo host listings of its own. `pnpm start` does; tests ask only when they need data.
   * An object overrides the counts or the seed (defaults: DEMO_DEFAULTS).
   */
  seed?: boolean | DemoCounts;
  /**
   * Serve the dashboard (packages/web) pointed at this stack: "dev" is Vite's dev server
   * (`pnpm start`), "build" the production build (the browser tests). Off by default.
   */
  web?: WebMode | false;
  /**
   * Admin rights only with a verified TOTP authenticator, as on staging and prod
   * (stacks/stage.ts `adminTotpRequired`). Off by default: the local stage is a dev stage.
   */
  adminTotpRequired?: boolean;
}

export interface LocalStack {
  outputs: Outputs;
  outputsFile: string;
  ports: StackPorts;
  dataDir: string;
  /** Child processes (Java, cognito-local); all gone once `stop()` resolves. */
  pids: number[];
  /** What `seed` wrote; undefined when not asked to or the table had listings already. */
  seeded?: SeedResult;
  /** Uploads on their way to the photo processor (the local stand-in for the queue). */
  uploads: UploadEvents;
  /** New outbox items on their way to the delivery, read from DynamoDB Local's stream. */
  outbox: OutboxStream;
  /** The expired-upload sweeper, run every few minutes as the scheduled function is. */
  sweeper: UploadSweeperSchedule;
  /**
   * Core's configuration for this stack (its table, bucket, pool and endpoints), which its
   * handlers run in. Code in the same process reaches the stack's data with
   * `stack.runtime.run(() => ...)` or `configure(stack.runtime)`.
   */
  runtime: Runtime;
  stop(): Promise<void>;
}

export const STAGE = "local";
export const DEFAULT_REGION = "eu-north-1";

export async function startLocalStack(options: StartOptions = {}): Promise<LocalStack> {
  const log = createLog({ quiet: options.quiet });
  const region = options.region ?? DEFAULT_REGION;
  const dataDir = options.dataDir ?? defaultDataDir;
  const paths = dataPaths(dataDir);

  const stale = await stopStaleProcesses(dataDir);
  if (stale.length) log.warn(`Stopped processes left over by an earlier run: ${stale.join(", ")}`);
  const ports = await resolvePorts(options.ports, {
    external: Boolean(options.dynamodb),
    web: Boolean(options.web),
  });
  if (!options.dynamodb) assertJava();
  prepareDataDir(dataDir, options.fresh ?? false);
  // A restore cut over to another table: the stack keeps using it across restarts.
  const table = readTableSetting(dataDir)?.table ?? options.dynamodb?.tableName ?? tableName(STAGE);

  const services = await startServices({
    stage: STAGE,
    region,
    ports,
    paths,
    dataDir,
    ...(options.dynamodb ? { externalDynamoDb: options.dynamodb.endpoint } : {}),
    log,
  });
  // Each phase's stop(), last phase first: the gateway stops taking requests before its
  // backends go away.
  const phases: { stop(): Promise<void> }[] = [services];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const phase of phases.reverse()) await phase.stop();
  };
  try {
    const provisioned = await provision(services, {
      stage: STAGE,
      region,
      table,
      paths,
      ...(options.seed ? { seed: options.seed } : {}),
      adminTotpRequired: options.adminTotpRequired ?? false,
      log,
    });
    phases.push(provisioned);
    const serving = await serve(services, provisioned, {
      stage: STAGE,
      region,
      ports,
      paths,
      web: options.web ?? false,
      log,
    });
    phases.push(serving);
    phases.push(followTableSetting(dataDir, provisioned, serving.outputs, log));
    const pids = [...services.pids, ...serving.pids];
    recordPids(dataDir, pids);
    const outputsFile = writeOutputs(dataDir, serving.outputs);
    return {
      outputs: serving.outputs,
      outputsFile,
      ports,
      dataDir,
      pids,
      ...(provisioned.seeded ? { seeded: provisioned.seeded } : {}),
      uploads: serving.uploads,
      get runtime() {
        return provisioned.current();
      },
      outbox: serving.outbox,
      sweeper: serving.sweeper,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Switches the running stack's handlers to the table its table setting names whenever the
 * setting changes (`localstays restore --stage local --cutover`), as a deploy with a new
 * setting does in AWS. The table must exist in the stack's DynamoDB; the outputs (TableName)
 * are rewritten once the handlers use it, which is what the CLI waits for.
 */
function followTableSetting(
  dataDir: string,
  provisioned: Provisioned,
  outputs: Outputs,
  log: Log,
): { stop(): Promise<void> } {
  let switching = Promise.resolve();
  const unwatch = watchTableSetting(dataDir, ({ table }) => {
    switching = switching.then(async () => {
      if (table === outputs.TableName) return;
      try {
        await provisioned
          .current()
          .dynamo()
          .send(new DescribeTableCommand({ TableName: table }));
      } catch (error) {
        log.error(`Not switching to table ${table}: it cannot be described`, error);
        return;
      }
      provisioned.switchTable(table);
      outputs.TableName = table;
      writeOutputs(dataDir, outputs);
      log.info(`Handlers now use table ${table} (the table setting changed)`);
    });
  });
  return {
    async stop() {
      unwatch();
      await switching;
    },
  };
}
