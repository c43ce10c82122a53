import { parseConfig } from "@localstays/core/config";
import { configure, currentRuntime, Runtime } from "@localstays/core/runtime";
import type { Service } from "./metrics.js";
import { NO_TRACING, type Tracing } from "./observability.js";

/**
 * The one place a function reads its environment: the Lambda entry points (`http()`, the
 * photo processor, the Cognito triggers) call this per invocation. In Lambda the first call
 * parses `process.env` (the variables the stacks set, typed as core's FunctionEnvironment),
 * loads the X-Ray tracer where the stage traces (TRACING, stacks/stage.ts) and configures core
 * for the container's life with its AWS SDK clients captured by the tracer; where a host has
 * configured core already (the local stack runs each invocation in its stack's runtime,
 * tests configure it), that runtime is used, untraced, and the environment is not read.
 */
export interface LambdaRuntime {
  runtime: Runtime;
  tracing: Tracing;
}

let lambda: Promise<LambdaRuntime> | undefined;

async function start(service: Service): Promise<LambdaRuntime> {
  const config = parseConfig(process.env);
  const tracing = config.TRACING
    ? (await import("./tracing.js")).createTracing(service)
    : NO_TRACING;
  const runtime = configure(new Runtime(config, { instrumentClient: tracing.captureClient }));
  return { runtime, tracing };
}

export function lambdaRuntime(service: Service): Promise<LambdaRuntime> {
  if (!lambda) {
    const hosted = currentRuntime();
    if (hosted) return Promise.resolve({ runtime: hosted, tracing: NO_TRACING });
    lambda = start(service).catch((error: unknown) => {
      // A broken environment fails every invocation loudly, not only the first.
      lambda = undefined;
      throw error;
    });
  }
  return lambda;
}
