import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Runtime } from "@localstays/core/runtime";
import type { Context } from "aws-lambda";
import { repoRoot } from "./paths.js";

/**
 * Runs the real handlers in this process, as Lambda would run them: the handler string of
 * the stacks (`packages/functions/src/api/me.handler`), an event, a context with a deadline.
 * Modules are imported on first use and stay loaded, so the first call is the cold start.
 */
export type LambdaHandler = (event: unknown, context: Context, callback?: unknown) => unknown;

const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

/** `packages/functions/src/api/me.handler` → the file and the exported function's name. */
export function parseHandlerString(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw new Error(`"${handler}" is not a handler string (path/to/file.exportName)`);
  }
  return { file: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

export async function loadHandler(handler: string, root = repoRoot): Promise<LambdaHandler> {
  const { file, exportName } = parseHandlerString(handler);
  const path = EXTENSIONS.map((ext) => join(root, file + ext)).find((p) => existsSync(p));
  if (!path) throw new Error(`No file for handler "${handler}" (looked for ${file}.ts/.js)`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const fn = module[exportName];
  if (typeof fn !== "function") {
    throw new Error(`${path} has no exported function "${exportName}"`);
  }
  return fn as LambdaHandler;
}

export class LambdaTimeout extends Error {
  override name = "LambdaTimeout";
}

export interface InvokeOptions {
  functionName: string;
  region: string;
  timeoutMs: number;
  requestId?: string;
  /**
   * The configuration the handler runs with: its stack's (core's `runtime.run`), so stacks
   * in one process each reach their own DynamoDB, bucket and pool.
   */
  runtime?: Runtime;
}

function contextOf(options: InvokeOptions, deadline: number): Context {
  const unsupported = () => {
    throw new Error("context.done/succeed/fail are not supported; return or throw instead");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Calls the handler with Lambda's contract: an async handler's result, or a callback-style
 * handler's `callback(error, result)`, whichever the handler uses; a timeout like the
 * function's, after which the caller sees an error (the handler's promise is abandoned, as
 * Lambda freezes it).
 */
export async function invokeHandler(
  handler: LambdaHandler,
  event: unknown,
  options: InvokeOptions,
): Promise<unknown> {
  const deadline = Date.now() + options.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LambdaTimeout(`${options.functionName} timed out after ${options.timeoutMs} ms`),
        ),
      options.timeoutMs,
    );
  });
  const run = new Promise<unknown>((resolve, reject) => {
    const callback = (error: unknown, result: unknown) => (error ? reject(error) : resolve(result));
    try {
      const call = () => handler(event, contextOf(options, deadline), callback);
      const returned = options.runtime ? options.runtime.run(call) : call();
      // A handler with fewer than three parameters is async: its return value is the result.
      if (handler.length < 3 || (returned as Promise<unknown> | undefined)?.then) {
        Promise.resolve(returned).then(resolve, reject);
      }
    } catch (error) {
      reject(error);
    }
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
