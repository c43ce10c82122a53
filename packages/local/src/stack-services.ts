import type { Runtime } from "@localstays/core/runtime";
import { type CognitoTriggerName, cognitoTriggers } from "@localstays/functions/auth/triggers";
import { triggerFunctionName } from "@localstays/functions/function-names";
import type { RunningService } from "./child-process.js";
import { startCognitoLocal } from "./cognito.js";
import { startDynamoDbLocal } from "./dynamodb.js";
import { startLambdaInvoke } from "./lambda-invoke.js";
import type { Log } from "./log.js";
import { LOCAL_MAIL_FROM } from "./mail-from.js";
import type { dataPaths } from "./paths.js";
import { type S3Service, startS3 } from "./s3.js";
import { startSes } from "./ses.js";
import type { StackPorts } from "./stack-ports.js";
import { forgetPids, recordPids } from "./stale-processes.js";

/**
 * Phase 1 of the local stack: the stand-ins (DynamoDB Local or the caller's DynamoDB,
 * s3rver, cognito-local) and the Lambda endpoint cognito-local's triggers call. On failure
 * it stops what it started; on success `stop()` is the caller's.
 */
export interface Services {
  dynamo: RunningService;
  s3: S3Service;
  cognito: RunningService;
  lambda: RunningService;
  /** The SES v2 emulator: notifications and Cognito's messages land on its mail page. */
  ses: RunningService;
  /** Child processes (Java, cognito-local, the SES emulator). */
  pids: number[];
  /** The configuration the trigger handlers run in, once provisioning has built it. */
  bindRuntime(runtime: Runtime): void;
  stop(): Promise<void>;
}

/** What every phase of the stack is told. */
export interface PhaseOptions {
  stage: string;
  region: string;
  paths: ReturnType<typeof dataPaths>;
  log: Log;
}

export interface ServicesOptions extends PhaseOptions {
  ports: StackPorts;
  dataDir: string;
  /** A DynamoDB that already runs (the test run's shared one) instead of starting Java. */
  externalDynamoDb?: string;
}

export async function startServices(options: ServicesOptions): Promise<Services> {
  const { stage, region, ports, paths, dataDir, log } = options;
  const started: RunningService[] = [];
  function track<S extends RunningService>(service: S): S {
    started.push(service);
    // Written as each child starts, so even a start that dies half-way leaves a record.
    recordPids(dataDir, pidsOf(started));
    return service;
  }
  const stop = async () => {
    await stopInReverse(started, log);
    forgetPids(dataDir);
  };

  let runtime: Runtime | undefined;
  const triggerFunctions = Object.fromEntries(
    (Object.entries(cognitoTriggers) as [CognitoTriggerName, string][]).map(([name, handler]) => [
      triggerFunctionName(stage, name),
      handler,
    ]),
  );
  // allSettled, not all: when one fails, the others must have finished starting before
  // stop() runs, or they would outlive it.
  const results = await Promise.allSettled([
    options.externalDynamoDb
      ? Promise.resolve<RunningService>({
          endpoint: options.externalDynamoDb,
          stop: async () => {},
        })
      : startDynamoDbLocal({ port: ports.dynamodb, dbPath: paths.dynamodb }).then(track),
    startS3({ port: ports.s3, directory: paths.s3 }).then(track),
    startCognitoLocal({
      port: ports.cognito,
      directory: paths.cognito,
      lambdaEndpoint: `http://127.0.0.1:${ports.lambda}`,
      region,
      triggers: {
        PostConfirmation: triggerFunctionName(stage, "postConfirmation"),
        CustomMessage: triggerFunctionName(stage, "customMessage"),
      },
      mail: { sesEndpoint: `http://127.0.0.1:${ports.ses}`, from: LOCAL_MAIL_FROM },
    }).then(track),
    startLambdaInvoke({
      port: ports.lambda,
      functions: triggerFunctions,
      region,
      log,
      runtime: () => runtime,
    }).then(track),
    startSes({ port: ports.ses }).then(track),
  ] as const);
  const failure = results.find((r) => r.status === "rejected");
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const [dynamo, s3, cognito, lambda, ses] = results.map(
    (r) => (r as PromiseFulfilledResult<RunningService>).value,
  ) as [RunningService, S3Service, RunningService, RunningService, RunningService];
  return {
    dynamo,
    s3,
    cognito,
    lambda,
    ses,
    pids: pidsOf(started),
    bindRuntime(bound) {
      runtime = bound;
    },
    stop,
  };
}

/** Stops services last-started first, all of them even when one fails (logged). */
export async function stopInReverse(services: RunningService[], log: Log): Promise<void> {
  const results = await Promise.allSettled([...services].reverse().map((s) => s.stop()));
  for (const r of results) if (r.status === "rejected") log.error("Stop failed", r.reason);
}

export function pidsOf(services: RunningService[]): number[] {
  return services.flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
}
