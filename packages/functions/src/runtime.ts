import { parseConfig } from "@localstays/core/config";
import { configure, currentRuntime, Runtime } from "@localstays/core/runtime";

/**
 * The one place a function reads its environment: the Lambda entry points (`http()`, the
 * photo processor, the Cognito triggers) call this per invocation. In Lambda the first call
 * parses `process.env` (the variables the stacks set, typed as core's FunctionEnvironment)
 * and configures core for the container's life; where a host has configured core already
 * (the local stack runs each invocation in its stack's runtime, tests configure it), that
 * runtime is used and the environment is not read.
 */
export function lambdaRuntime(): Runtime {
  return currentRuntime() ?? configure(new Runtime(parseConfig(process.env)));
}
