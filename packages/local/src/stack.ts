import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SeedResult } from "@localstays/core/seed";
import { DEMO_DEFAULTS, type GenerateOptions } from "@localstays/core/seed/generate";
import { tableName } from "@localstays/core/table";
import { type CognitoTriggerName, cognitoTriggers } from "@localstays/functions/auth/triggers";
import { triggerFunctionName } from "@localstays/functions/function-names";
import { routes } from "@localstays/functions/routes";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import type { RunningService } from "./child-process.js";
import { CONFIRMATION_CODE, startCognitoLocal } from "./cognito.js";
import { type CognitoUserRef, DEMO_USERS, ensureDemoUser } from "./demo-users.js";
import { assertJava, ensureTable, startDynamoDbLocal } from "./dynamodb.js";
import { handlerEnvironment } from "./environment.js";
import { startGateway } from "./gateway.js";
import { createJwtAuthorizer } from "./jwt.js";
import { startLambdaInvoke } from "./lambda-invoke.js";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import { createLog } from "./log.js";
import { type Outputs, writeOutputs } from "./outputs.js";
import { dataPaths, defaultDataDir, prepareDataDir } from "./paths.js";
import { ensureBucket, S3RVER_CREDENTIALS, type S3Service, s3Client, startS3 } from "./s3.js";
import { resolvePorts, type StackPorts } from "./stack-ports.js";
import { forgetPids, recordPids, stopStaleProcesses } from "./stale-processes.js";
import { startUploadEvents, type UploadEvents } from "./upload-events.js";
import { ensureUserPool } from "./user-pool.js";
import { startWeb, type WebMode } from "./web.js";

/**
 * The whole local stack: DynamoDB Local, s3rver, cognito-local, the Lambda endpoint for
 * Cognito triggers, and the API gateway, with the table, bucket, pool and demo users they
 * need. Every step is idempotent, so a restart keeps the developer's data.
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
}

type DemoCounts = Partial<Pick<GenerateOptions, "hosts" | "listingsPerHost" | "seed">>;

export interface LocalStack {
  outputs: Outputs;
  outputsFile: string;
  ports: StackPorts;
  dataDir: string;
  /** Child processes (Java, cognito-local); all gone once `stop()` resolves. */
  pids: number[];
  /** What `seed` wrote; undefined when not asked to or the table had listings already. */
  seeded?: SeedResult;
  /** Uploads on their way to the image processor (the local stand-in for the queue). */
  uploads: UploadEvents;
  stop(): Promise<void>;
}

export const STAGE = "local";
export const DEFAULT_REGION = "eu-north-1";

/**
 * Handlers run in this process, and core binds its DynamoDB client and table name when it is
 * first imported (as a Lambda container does at cold start). A second stack in the same
 * process must therefore use the same DynamoDB endpoint and table, or the handlers would
 * silently talk to the first one.
 */
let boundDynamoDb: string | undefined;

export async function startLocalStack(options: StartOptions = {}): Promise<LocalStack> {
  const log = createLog({ quiet: options.quiet });
  const region = options.region ?? DEFAULT_REGION;
  const dataDir = options.dataDir ?? defaultDataDir;
  const paths = dataPaths(dataDir);
  const table = options.dynamodb?.tableName ?? tableName(STAGE);
  const bucket = `localstays-${STAGE}`;

  const stale = await stopStaleProcesses(dataDir);
  if (stale.length) log.warn(`Stopped processes left over by an earlier run: ${stale.join(", ")}`);
  const ports = await resolvePorts(options.ports, {
    external: Boolean(options.dynamodb),
    web: Boolean(options.web),
  });
  const dynamoTarget = `${options.dynamodb?.endpoint ?? `http://127.0.0.1:${ports.dynamodb}`} ${table}`;
  if (boundDynamoDb && boundDynamoDb !== dynamoTarget) {
    throw new Error(
      `The handlers in this process already use DynamoDB ${boundDynamoDb}; a second stack here must ` +
        "use the same endpoint and table (pass `ports: firstStack.ports`) or run in another process.",
    );
  }
  if (!options.dynamodb) assertJava();
  prepareDataDir(dataDir, options.fresh ?? false);

  const services: RunningService[] = [];
  const env = handlerEnvironment();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order: the gateway stops taking requests before its backends go away.
    const results = await Promise.allSettled(services.reverse().map((s) => s.stop()));
    for (const r of results) if (r.status === "rejected") log.error("Stop failed", r.reason);
    forgetPids(dataDir);
    env.restore();
  };

  function track<S extends RunningService>(service: S): S {
    services.push(service);
    // Written as each child starts, so even a start that dies half-way leaves a record.
    recordPids(dataDir, pidsOf(services));
    return service;
  }

  try {
    const lambdaEndpoint = `http://127.0.0.1:${ports.lambda}`;
    const triggerFunctions = Object.fromEntries(
      (Object.entries(cognitoTriggers) as [CognitoTriggerName, string][]).map(([name, handler]) => [
        triggerFunctionName(STAGE, name),
        handler,
      ]),
    );
    // allSettled, not all: when one fails, the others must have finished starting before
    // stop() runs, or they would outlive it.
    const started = await Promise.allSettled([
      options.dynamodb
        ? Promise.resolve<RunningService>({
            endpoint: options.dynamodb.endpoint,
            stop: async () => {},
          })
        : startDynamoDbLocal({ port: ports.dynamodb, dbPath: paths.dynamodb }).then(track),
      startS3({ port: ports.s3, directory: paths.s3 }).then(track),
      startCognitoLocal({
        port: ports.cognito,
        directory: paths.cognito,
        lambdaEndpoint,
        region,
        triggers: {
          PostConfirmation: triggerFunctionName(STAGE, "postConfirmation"),
        },
      }).then(track),
      startLambdaInvoke({ port: ports.lambda, functions: triggerFunctions, region, log }).then(
        track,
      ),
    ] as const);
    const failure = started.find((r) => r.status === "rejected");
    if (failure) throw failure.reason;
    const [dynamo, s3, cognito, lambda] = started.map(
      (r) => (r as PromiseFulfilledResult<RunningService>).value,
    ) as [RunningService, S3Service, RunningService, RunningService];

    env.set({
      STAGE,
      AWS_REGION: region,
      TABLE_NAME: table,
      BUCKET_NAME: bucket,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      COGNITO_ENDPOINT: cognito.endpoint,
      // s3rver serves objects to anyone, like the CDN in front of `images/` in AWS.
      IMAGES_BASE_URL: `${s3.endpoint}/${bucket}`,
    });

    const credentials = S3RVER_CREDENTIALS;
    const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials });
    const s3c = s3Client(s3.endpoint, region);
    const cognitoClient = new CognitoIdentityProviderClient({
      endpoint: cognito.endpoint,
      region,
      credentials,
    });
    try {
      const [tableResult, , pool] = await Promise.all([
        ensureTable(dynamoClient, table),
        ensureBucket(s3c, bucket),
        ensureUserPool(cognitoClient, { name: `localstays-${STAGE}`, stateFile: paths.state }),
      ]);
      if (tableResult.missingIndexes.length) {
        log.warn(
          `Table ${table} lacks ${tableResult.missingIndexes.join(", ")}: run with --fresh or migrate.`,
        );
      }
      env.set({ USER_POOL_ID: pool.userPoolId });

      const hooks = demoUserHooks(region, pool.userPoolId);
      // One at a time: cognito-local keeps each pool in a JSON file, and parallel writes race.
      const demoSubs: string[] = [];
      for (const user of DEMO_USERS) {
        const result = await ensureDemoUser(cognitoClient, pool, user, hooks);
        demoSubs.push(result.sub);
        if (result.repaired) {
          log.warn(`${user.email} had no Host record; ran the PostConfirmation handler again.`);
        }
      }
      const seeded = options.seed ? await seedDemoData(options.seed, demoSubs[0], log) : undefined;
      // After seeding: the seed processes its photos itself, and s3rver's events for them go
      // to no listener yet, so each upload has one processor (two would race for it).
      const uploads = startUploadEvents({ server: s3.server, bucket, stage: STAGE, region, log });
      services.push({ endpoint: "", stop: () => uploads.stop() });

      const issuer = `${cognito.endpoint}/${pool.userPoolId}`;
      const gateway = track(
        await startGateway({
          port: ports.api,
          routes,
          authorize: createJwtAuthorizer({ issuer, audience: [pool.userPoolClientId] }),
          region,
          stage: STAGE,
          log,
        }),
      );

      const outputs: Outputs = {
        ApiUrl: gateway.endpoint,
        Region: region,
        DynamoDbEndpoint: dynamo.endpoint,
        S3Endpoint: s3.endpoint,
        CognitoEndpoint: cognito.endpoint,
        LambdaEndpoint: lambda.endpoint,
        TableName: table,
        BucketName: bucket,
        ImagesUrl: `${s3.endpoint}/${bucket}`,
        UserPoolId: pool.userPoolId,
        UserPoolClientId: pool.userPoolClientId,
        Issuer: issuer,
        ConfirmationCode: CONFIRMATION_CODE,
        DemoUsers: DEMO_USERS.map(({ email, password, groups }) => ({
          email,
          password,
          groups: [...groups],
        })),
      };
      if (options.web) {
        const web = track(
          await startWeb({
            mode: options.web,
            port: ports.web,
            directory: paths.web,
            settings: {
              apiUrl: gateway.endpoint,
              userPoolId: pool.userPoolId,
              userPoolClientId: pool.userPoolClientId,
              cognitoEndpoint: cognito.endpoint,
              confirmationCode: CONFIRMATION_CODE,
              s3Endpoint: s3.endpoint,
            },
          }),
        );
        outputs.WebUrl = web.endpoint;
        outputs.WebMode = options.web;
      }
      const outputsFile = writeOutputs(dataDir, outputs);
      boundDynamoDb = dynamoTarget;
      warmUp(log);
      return {
        outputs,
        outputsFile,
        ports,
        dataDir,
        pids: pidsOf(services),
        ...(seeded ? { seeded } : {}),
        uploads,
        stop,
      };
    } finally {
      dynamoClient.destroy();
      s3c.destroy();
      cognitoClient.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

function pidsOf(services: RunningService[]): number[] {
  return services.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
}

/**
 * Checks and repairs a demo user's Host record with the handler code itself, imported only
 * now that the environment is set (core binds its table and client when first imported).
 */
function demoUserHooks(region: string, userPoolId: string) {
  return {
    async hasHost(user: CognitoUserRef) {
      const { Host } = await import("@localstays/core");
      return (await Host.bySub(user.sub)) !== undefined;
    },
    async repairHost(user: CognitoUserRef) {
      const handlerString = cognitoTriggers.postConfirmation;
      const event = {
        version: "1",
        region,
        userPoolId,
        triggerSource: "PostConfirmation_ConfirmSignUp",
        userName: user.username,
        callerContext: { awsSdkVersion: "local", clientId: "local" },
        request: {
          userAttributes: {
            sub: user.sub,
            email: user.email,
            ...(user.name ? { name: user.name } : {}),
          },
        },
        response: {},
      } satisfies PostConfirmationTriggerEvent;
      await invokeHandler(await loadHandler(handlerString), event, {
        functionName: triggerFunctionName(STAGE, "postConfirmation"),
        region,
        timeoutMs: 30_000,
      });
    },
  };
}

/**
 * Seeds an empty table (core/seed, through the services) and gives the first demo user's
 * host listings of its own. Imported only now that the environment is set, like the hooks.
 */
async function seedDemoData(
  seed: true | DemoCounts,
  demoHostSub: string | undefined,
  log: ReturnType<typeof createLog>,
): Promise<SeedResult | undefined> {
  const { seedIfEmpty } = await import("@localstays/core/seed");
  const { Host } = await import("@localstays/core");
  const demoHostId = demoHostSub ? await Host.hostIdOf(demoHostSub) : undefined;
  let result: SeedResult | undefined;
  try {
    result = await seedIfEmpty({
      ...DEMO_DEFAULTS,
      ...(seed === true ? {} : seed),
      extraHostIds: demoHostId ? [demoHostId] : [],
      photos: "seed",
    });
  } catch (error) {
    // Demo data is a convenience: the stack is still worth having without it.
    log.error(
      "Seeding demo data failed; the stack runs without it (or with part of it). " +
        "`pnpm -s localstays seed --stage local` finishes what is missing.",
      error,
    );
    return undefined;
  }
  if (!result) return undefined;
  const statuses = Object.entries(result.byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  log.info(
    `Seeded ${result.listings.length} demo listings for ${result.hosts} hosts in ${result.cities} cities ` +
      `(${statuses}) in ${(result.ms / 1000).toFixed(1)} s`,
  );
  return result;
}

/** Loads every route's handler in the background so the first request is not a cold start. */
function warmUp(log: ReturnType<typeof createLog>) {
  for (const route of routes) {
    loadHandler(route.handler).catch((error) =>
      log.error(`Cannot load ${route.handler} (${route.method} ${route.path})`, error),
    );
  }
}
