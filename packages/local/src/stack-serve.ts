import { routes } from "@localstays/functions/routes";
import { LOCAL_THROTTLE } from "../../../stacks/throttle.js";
import type { RunningService } from "./child-process.js";
import { DEMO_USERS } from "./demo-users.js";
import { startGateway } from "./gateway.js";
import { createJwtAuthorizer } from "./jwt.js";
import { loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";
import { type OutboxStream, startOutboxStream } from "./outbox-stream.js";
import type { Outputs } from "./outputs.js";
import type { StackPorts } from "./stack-ports.js";
import type { Provisioned } from "./stack-provision.js";
import { type PhaseOptions, pidsOf, type Services, stopInReverse } from "./stack-services.js";
import { startUploadEvents, type UploadEvents } from "./upload-events.js";
import { scheduleUploadSweeper, type UploadSweeperSchedule } from "./upload-sweeper.js";
import { startWeb, type WebMode } from "./web.js";

/**
 * Phase 3 of the local stack: what clients talk to. The upload events (the local stand-in
 * for the queue to the photo processor), the API gateway and, if asked, the dashboard, all
 * running the handlers in the stack's runtime; and the outputs that describe it all.
 * `stop()` stops them, the gateway before what it calls.
 */
export interface Serving {
  outputs: Outputs;
  uploads: UploadEvents;
  /** New outbox items on their way to the delivery (the local stand-in for the stream mapping). */
  outbox: OutboxStream;
  /** The expired-upload sweeper on its schedule (the local stand-in for the scheduled rule). */
  sweeper: UploadSweeperSchedule;
  /** Child processes (none today; the dashboard's Vite runs in-process). */
  pids: number[];
  stop(): Promise<void>;
}

export interface ServeOptions extends PhaseOptions {
  ports: StackPorts;
  web?: WebMode | false;
}

export async function serve(
  services: Services,
  provisioned: Provisioned,
  options: ServeOptions,
): Promise<Serving> {
  const { stage, region, ports, log } = options;
  const { dynamo, s3, cognito, lambda } = services;
  const { runtime, table, bucket, pool } = provisioned;
  const started: RunningService[] = [];
  const stop = () => stopInReverse(started, log);
  try {
    // After seeding: the seed processes its photos itself, and s3rver's events for them go
    // to no listener yet, so each upload has one processor (two would race for it).
    // The stack's current runtime at each invocation: a restore's cut-over switches it.
    const current = () => provisioned.current();
    const uploads = startUploadEvents({
      server: s3.server,
      bucket,
      stage,
      region,
      log,
      runtime: current,
    });
    started.push({ endpoint: "", stop: () => uploads.stop() });
    const outbox = await startOutboxStream({ runtime, stage, region, log });
    started.push({ endpoint: "", stop: () => outbox.stop() });
    const sweeper = scheduleUploadSweeper({ runtime: current, stage, region, log });
    started.push({ endpoint: "", stop: () => sweeper.stop() });

    const issuer = `${cognito.endpoint}/${pool.userPoolId}`;
    const gateway = await startGateway({
      port: ports.api,
      routes,
      authorize: createJwtAuthorizer({ issuer, audience: [pool.userPoolClientId] }),
      region,
      stage,
      log,
      runtime: current,
      throttle: LOCAL_THROTTLE,
    });
    started.push(gateway);

    const outputs: Outputs = {
      ApiUrl: gateway.endpoint,
      Region: region,
      DynamoDbEndpoint: dynamo.endpoint,
      S3Endpoint: s3.endpoint,
      CognitoEndpoint: cognito.endpoint,
      LambdaEndpoint: lambda.endpoint,
      TableName: table,
      BucketName: bucket,
      ImagesUrl: runtime.config.IMAGES_BASE_URL ?? `${s3.endpoint}/${bucket}`,
      UserPoolId: pool.userPoolId,
      UserPoolClientId: pool.userPoolClientId,
      Issuer: issuer,
      SesEndpoint: services.ses.endpoint,
      MailUrl: services.ses.endpoint,
      DemoUsers: DEMO_USERS.map(({ email, password, groups }) => ({
        email,
        password,
        groups: [...groups],
      })),
    };
    if (options.web) {
      const web = await startWeb({
        mode: options.web,
        port: ports.web,
        directory: options.paths.web,
        settings: {
          apiUrl: gateway.endpoint,
          userPoolId: pool.userPoolId,
          userPoolClientId: pool.userPoolClientId,
          cognitoEndpoint: cognito.endpoint,
          mailUrl: services.ses.endpoint,
          s3Endpoint: s3.endpoint,
        },
      });
      started.push(web);
      outputs.WebUrl = web.endpoint;
      outputs.WebMode = options.web;
    }
    warmUp(log);
    return {
      outputs,
      uploads,
      outbox,
      sweeper,
      pids: pidsOf(started),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Loads every route's handler in the background so the first request is not a cold start. */
function warmUp(log: Log) {
  for (const route of routes) {
    loadHandler(route.handler).catch((error) =>
      log.error(`Cannot load ${route.handler} (${route.method} ${route.path})`, error),
    );
  }
}
