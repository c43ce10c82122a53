import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Runtime } from "@localstays/core/runtime";
import type { RunningService } from "./child-process.js";
import { closeServer, listen, readBody } from "./http-server.js";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";

/**
 * A small stand-in for the Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`),
 * so that cognito-local's triggers reach the real trigger handlers the same way Cognito
 * reaches them in AWS: with an event over the Lambda API.
 */
export interface LambdaInvokeOptions {
  port: number;
  /** Function name → handler string. */
  functions: Record<string, string>;
  region: string;
  log: Log;
  timeoutMs?: number;
  /**
   * The stack's configuration for the handlers. A getter: cognito-local needs this endpoint
   * before the stack has a user pool, so the runtime comes later (nothing invokes before).
   */
  runtime?: () => Runtime | undefined;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Accepts a name, an ARN or a qualified name: `arn:aws:lambda:r:a:function:name:alias`. */
function functionNameFrom(encoded: string): string {
  const name = decodeURIComponent(encoded);
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(name);
  return arn?.[1] ?? name.split(":")[0] ?? name;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body ?? null);
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(text);
}

export async function startLambdaInvoke(options: LambdaInvokeOptions): Promise<RunningService> {
  const { log } = options;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const match = INVOKE_PATH.exec(request.url?.split("?")[0] ?? "");
    if (request.method !== "POST" || !match?.[1]) {
      send(response, 404, { message: `Unknown Lambda API call ${request.method} ${request.url}` });
      return;
    }
    const functionName = functionNameFrom(match[1]);
    const handlerString = options.functions[functionName];
    if (!handlerString) {
      log.error(`Lambda invoke: no local function named ${functionName}`);
      send(
        response,
        404,
        { Type: "User", message: `Function not found: ${functionName}` },
        { "x-amzn-errortype": "ResourceNotFoundException" },
      );
      return;
    }
    const payload = (await readBody(request, 6 * 1024 * 1024)).toString("utf8");
    const invocationType = request.headers["x-amz-invocation-type"] ?? "RequestResponse";
    if (invocationType === "DryRun") {
      response.writeHead(204).end();
      return;
    }
    const requestId = randomUUID();
    const run = async () => {
      const handler = await loadHandler(handlerString);
      const event = payload ? JSON.parse(payload) : {};
      return invokeHandler(handler, event, {
        functionName,
        region: options.region,
        timeoutMs: options.timeoutMs ?? 30_000,
        requestId,
        runtime: options.runtime?.(),
      });
    };
    const fail = (error: unknown) => {
      // cognito-local logs a trigger failure and carries on (AWS would fail the sign-up),
      // so this is the one place a broken trigger becomes visible: make it loud.
      log.error(
        `\n!!! Lambda ${functionName} (${handlerString}) FAILED — in AWS this fails the caller's request.`,
        error,
      );
    };
    if (invocationType === "Event") {
      send(response, 202, null, { "x-amzn-requestid": requestId });
      run().catch(fail);
      return;
    }
    try {
      const result = await run();
      log.info(`λ ${functionName} ok`);
      send(response, 200, result, {
        "x-amzn-requestid": requestId,
        "x-amz-executed-version": "$LATEST",
      });
    } catch (error) {
      fail(error);
      const err = error instanceof Error ? error : new Error(String(error));
      // Lambda's shape of a function error: 200, the error in the payload, and this header.
      send(
        response,
        200,
        { errorType: err.name, errorMessage: err.message, trace: err.stack?.split("\n") ?? [] },
        { "x-amzn-requestid": requestId, "x-amz-function-error": "Unhandled" },
      );
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      log.error("Lambda invoke endpoint failed", error);
      if (!response.headersSent) send(response, 500, { message: "Local Lambda endpoint error" });
    });
  });
  await listen(server, options.port);
  return { endpoint: `http://127.0.0.1:${options.port}`, stop: () => closeServer(server) };
}
