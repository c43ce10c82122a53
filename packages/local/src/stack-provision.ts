import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Host } from "@localstays/core";
import { stagePrefix } from "@localstays/core/names";
import { Runtime } from "@localstays/core/runtime";
import { type SeedResult, seedIfEmpty } from "@localstays/core/seed";
import { DEMO_DEFAULTS, type GenerateOptions } from "@localstays/core/seed/generate";
import { userPoolName } from "@localstays/core/user-pool";
import { cognitoTriggers } from "@localstays/functions/auth/triggers";
import { triggerFunctionName } from "@localstays/functions/function-names";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { type CognitoUserRef, DEMO_USERS, ensureDemoUser } from "./demo-users.js";
import { ensureTable } from "./dynamodb.js";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";
import { LOCAL_MAIL_FROM } from "./mail-from.js";
import { ensureBucket, S3RVER_CREDENTIALS, s3Client } from "./s3.js";
import type { PhaseOptions, Services } from "./stack-services.js";
import { ensureUserPool, type UserPoolIds } from "./user-pool.js";

export type DemoCounts = Partial<Pick<GenerateOptions, "hosts" | "listingsPerHost" | "seed">>;

/**
 * Phase 2 of the local stack: the table, bucket and user pool (idempotent, so a restart keeps
 * the developer's data), the stack's runtime (core's configuration: what the stacks set in
 * AWS plus the stand-ins' endpoints), the demo users with their Host records, and demo data.
 * `stop()` closes the runtime's clients.
 */
export interface Provisioned {
  /** The runtime the stack started with; `current()` is the one handlers run in now. */
  runtime: Runtime;
  /** The stack's runtime now: the last table switch's, else `runtime`. */
  current(): Runtime;
  /**
   * Points the handlers at another table of the same DynamoDB (a restore's cut-over): a new
   * runtime with that TABLE_NAME, bound to every handler from the next invocation on. The
   * old runtime's clients stay open for invocations in flight and close at `stop()`.
   */
  switchTable(table: string): Runtime;
  table: string;
  bucket: string;
  pool: UserPoolIds;
  /** What `seed` wrote; undefined when not asked to or the table had listings already. */
  seeded?: SeedResult;
  stop(): Promise<void>;
}

export interface ProvisionOptions extends PhaseOptions {
  table: string;
  seed?: boolean | DemoCounts;
  adminTotpRequired: boolean;
}

export async function provision(
  services: Services,
  options: ProvisionOptions,
): Promise<Provisioned> {
  const { stage, region, table, log } = options;
  const bucket = stagePrefix(stage);
  const { dynamo, s3, cognito } = services;
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
      ensureUserPool(cognitoClient, { name: userPoolName(stage), stateFile: options.paths.state }),
    ]);
    if (tableResult.missingIndexes.length) {
      log.warn(
        `Table ${table} lacks ${tableResult.missingIndexes.join(", ")}: run with --fresh or migrate.`,
      );
    }
    // Every stand-in takes any key except s3rver, which knows only its own; explicit keys
    // also keep a developer's AWS profile out of local requests.
    const config = {
      STAGE: stage,
      AWS_REGION: region,
      TABLE_NAME: table,
      BUCKET_NAME: bucket,
      USER_POOL_ID: pool.userPoolId,
      USER_POOL_CLIENT_ID: pool.userPoolClientId,
      ADMIN_TOTP_REQUIRED: options.adminTotpRequired ? ("true" as const) : ("false" as const),
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      COGNITO_ENDPOINT: cognito.endpoint,
      SES_ENDPOINT: services.ses.endpoint,
      MAIL_FROM: LOCAL_MAIL_FROM,
      MAIL_CONFIGURATION_SET: stagePrefix(stage),
      // s3rver serves objects to anyone, like the CDN in front of `images/` in AWS.
      IMAGES_BASE_URL: `${s3.endpoint}/${bucket}`,
    };
    const runtime = Runtime.of(config, { credentials });
    services.bindRuntime(runtime);
    let current = runtime;
    const runtimes = [runtime];
    const switchTable = (name: string) => {
      current = Runtime.of({ ...config, TABLE_NAME: name }, { credentials });
      runtimes.push(current);
      services.bindRuntime(current);
      return current;
    };
    const stop = async () => {
      for (const each of runtimes) each.destroy();
    };
    try {
      const hooks = demoUserHooks(runtime, stage, pool.userPoolId);
      // One at a time: cognito-local keeps each pool in a JSON file, and parallel writes race.
      const demoSubs: string[] = [];
      for (const user of DEMO_USERS) {
        const result = await ensureDemoUser(cognitoClient, pool, user, hooks);
        demoSubs.push(result.sub);
        if (result.repaired) {
          log.warn(`${user.email} had no Host record; ran the PostConfirmation handler again.`);
        }
      }
      const seeded = options.seed
        ? await runtime.run(() => seedDemoData(options.seed as true | DemoCounts, demoSubs[0], log))
        : undefined;
      return {
        runtime,
        current: () => current,
        switchTable,
        table,
        bucket,
        pool,
        ...(seeded ? { seeded } : {}),
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  } finally {
    dynamoClient.destroy();
    s3c.destroy();
    cognitoClient.destroy();
  }
}

/** Checks and repairs a demo user's Host record with the handler code itself. */
function demoUserHooks(runtime: Runtime, stage: string, userPoolId: string) {
  return {
    async hasHost(user: CognitoUserRef) {
      return (await runtime.run(() => Host.bySub(user.sub))) !== undefined;
    },
    async repairHost(user: CognitoUserRef) {
      const handlerString = cognitoTriggers.postConfirmation;
      const region = runtime.config.AWS_REGION;
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
        functionName: triggerFunctionName(stage, "postConfirmation"),
        region,
        timeoutMs: 30_000,
        runtime,
      });
    },
  };
}

/**
 * Seeds an empty table (core/seed, through the services) and gives the first demo user's
 * host listings of its own. Runs in the stack's runtime.
 */
async function seedDemoData(
  seed: true | DemoCounts,
  demoHostSub: string | undefined,
  log: Log,
): Promise<SeedResult | undefined> {
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
