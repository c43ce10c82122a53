import { randomUUID } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { RunningService } from "./child-process.js";
import { type CognitoErrorBody, cognitoAnswerFor, operationOf } from "./cognito-errors.js";
import { closeServer, listen, readBody } from "./http-server.js";

/**
 * The Cognito endpoint of the local stack: a pass-through to cognito-local that answers
 * errors as Cognito does where cognito-local differs (cognito-errors.ts). Everything that
 * talks to the local user pool (the dashboard, the CLI, smoke, tests) comes through here,
 * so none of them needs to know the emulator's quirks.
 */
export interface CognitoProxyOptions {
  port: number;
  /** cognito-local's own endpoint. */
  upstream: string;
}

/** Cognito's API calls are small JSON documents; anything larger is not one. */
const BODY_LIMIT = 1024 * 1024;

export async function startCognitoProxy(options: CognitoProxyOptions): Promise<RunningService> {
  const upstream = new URL(options.upstream);

  async function forward(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request, BODY_LIMIT);
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host },
        },
        resolve,
      );
      outgoing.once("error", reject);
      outgoing.end(body);
    });
    const operation = operationOf(headerValue(request.headers["x-amz-target"]));
    if (answer.statusCode !== 400 || !operation) {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      return;
    }
    const errorBody = await readBody(answer, BODY_LIMIT);
    const error = parseObject(errorBody.toString("utf8"));
    const replacement = cognitoAnswerFor(operation, parseObject(body.toString("utf8")), {
      __type: String(error.__type ?? ""),
      message: String(error.message ?? ""),
    });
    if (!replacement) {
      response.writeHead(400, answer.headers);
      response.end(errorBody);
      return;
    }
    const text = JSON.stringify(replacement);
    response.writeHead(400, {
      ...corsHeaders(answer.headers),
      ...awsErrorHeaders(replacement),
      "content-length": String(Buffer.byteLength(text)),
    });
    response.end(text);
  }

  const server = createServer((request, response) => {
    forward(request, response).catch((error: Error) => {
      if (response.headersSent) {
        response.destroy(error);
        return;
      }
      const text = JSON.stringify({ __type: "InternalErrorException", message: error.message });
      response.writeHead(500, { "content-type": "application/x-amz-json-1.1" });
      response.end(text);
    });
  });
  await listen(server, options.port);
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () => closeServer(server),
  };
}

/** The headers Cognito sends with an error (x-amzn-ErrorType ends in a colon there too). */
export function awsErrorHeaders(error: CognitoErrorBody): Record<string, string> {
  return {
    "content-type": "application/x-amz-json-1.1",
    "x-amzn-requestid": randomUUID(),
    "x-amzn-errortype": `${error.__type}:`,
    "x-amzn-errormessage": error.message,
  };
}

/** cognito-local allows every origin; a browser may read the error headers, as from Cognito. */
function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headerValue(headers["access-control-allow-origin"]);
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
