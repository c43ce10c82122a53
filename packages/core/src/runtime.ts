import { AsyncLocalStorage } from "node:async_hooks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type Config, ConfigError, type ConfigInput, parseConfig } from "./config.js";

/** Keys for endpoints other than AWS's (the local stand-ins): never a developer's profile. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface RuntimeOptions {
  /** Without them the SDK's default chain applies (the Lambda role in AWS). */
  credentials?: StaticCredentials;
  /**
   * Applied to every AWS SDK client the runtime builds (`client()`): the Lambda entry points
   * pass X-Ray's capture where the stage traces, so each call shows in the trace.
   */
  instrumentClient?: <T extends object>(client: T) => T;
}

/**
 * One configuration and the clients built from it, each on first use: importing core
 * connects nothing and reads nothing. Off AWS the endpoints come from the config; nothing
 * else in the code knows whether it talks to AWS or to a stand-in.
 */
export class Runtime {
  readonly config: Config;
  readonly #options: RuntimeOptions;
  readonly #built = new Map<unknown, unknown>();

  /** A parsed configuration (`parseConfig`); `configure()` and `Runtime.of()` parse for you. */
  constructor(config: Config, options: RuntimeOptions = {}) {
    this.config = config;
    this.#options = options;
  }

  /** A runtime for a configuration given as an object (strings, as in the environment). */
  static of(config: ConfigInput, options?: RuntimeOptions): Runtime {
    return new Runtime(parseConfig(config), options);
  }

  /** Region, endpoint and credentials for an SDK client of this runtime. */
  clientSettings(endpoint: string | undefined) {
    const { credentials } = this.#options;
    return {
      region: this.config.AWS_REGION,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }

  /** An AWS SDK client this runtime built, instrumented as its options say. */
  client<T extends object>(client: T): T {
    return this.#options.instrumentClient ? this.#options.instrumentClient(client) : client;
  }

  /** What `build` returns for this runtime, built once (clients, entities). */
  memo<T>(key: unknown, build: (runtime: Runtime) => T): T {
    if (!this.#built.has(key)) this.#built.set(key, build(this));
    return this.#built.get(key) as T;
  }

  dynamo(): DynamoDBClient {
    return this.memo(DynamoDBClient, (rt) => {
      return rt.client(
        new DynamoDBClient({
          ...rt.clientSettings(rt.config.DYNAMODB_ENDPOINT),
          // The SDK's default of 3 attempts with backoff covers throttling; a Lambda has little
          // time to wait longer than that.
          maxAttempts: 3,
        }),
      );
    });
  }

  /** The same client with plain JavaScript values in and out (queries ElectroDB builds, we run). */
  documents(): DynamoDBDocumentClient {
    return this.memo(DynamoDBDocumentClient, (rt) => DynamoDBDocumentClient.from(rt.dynamo()));
  }

  /** The photo bucket; a function that needs it and has none configured fails loudly. */
  bucketName(): string {
    const { BUCKET_NAME } = this.config;
    if (!BUCKET_NAME)
      throw new ConfigError("BUCKET_NAME is not set: this function has no photo bucket");
    return BUCKET_NAME;
  }

  /** Runs `fn` with this runtime as core's (see `runtime()`), whatever the process default is. */
  run<T>(fn: () => T): T {
    return scope.run(this, fn);
  }

  /** Closes the clients' connections; the runtime builds new ones if used again. */
  destroy(): void {
    for (const value of this.#built.values()) {
      (value as { destroy?: () => void }).destroy?.();
    }
    this.#built.clear();
  }
}

/**
 * Which runtime core uses: the one a caller runs its work in (`runtime.run`, e.g. each of the
 * local stack's handler invocations, so two stacks can share a process), else the process's
 * (`configure`). AsyncLocalStorage carries it across awaits.
 */
const scope = new AsyncLocalStorage<Runtime>();
let configured: Runtime | undefined;

/** Makes `config` this process's runtime (a Lambda's once per cold start, a CLI's per command). */
export function configure(config: ConfigInput | Runtime, options?: RuntimeOptions): Runtime {
  configured = config instanceof Runtime ? config : Runtime.of(config, options);
  return configured;
}

/** The runtime in effect, if any. */
export function currentRuntime(): Runtime | undefined {
  return scope.getStore() ?? configured;
}

/** The runtime in effect; core's code calls this where it needs a client or the config. */
export function runtime(): Runtime {
  const current = currentRuntime();
  if (!current) {
    throw new ConfigError(
      "Core is not configured: call configure(config) first (Lambda entry points do it from the environment).",
    );
  }
  return current;
}
