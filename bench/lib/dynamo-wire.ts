import type { dynamoClient } from "../../packages/core/src/dynamo.js";
import type { HttpTarget } from "./autocannon.js";

/** Core's one DynamoDB client (the handlers' too). */
export type CoreClient = ReturnType<typeof dynamoClient>;

/**
 * The HTTP request the SDK sends for `send()`, as signed: a middleware in the deserialize
 * step sees it after the finalizeRequest step (signing) and before it goes on the wire.
 * Replayed as is, it is the exact request the SDK sends, without the SDK.
 */
export async function captureWire(
  client: CoreClient,
  send: () => Promise<unknown>,
): Promise<HttpTarget> {
  const name = "benchCaptureWire";
  let request:
    | {
        method: string;
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        headers: Record<string, string>;
        body: unknown;
      }
    | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      request ??= args.request as typeof request;
      return next(args);
    },
    { step: "deserialize", name },
  );
  try {
    await send();
  } finally {
    client.middlewareStack.remove(name);
  }
  if (!request) throw new Error("The SDK sent no request");
  const { host: _host, "content-length": _length, ...headers } = request.headers;
  const port = request.port ? `:${request.port}` : "";
  const body = request.body;
  return {
    url: `${request.protocol}//${request.hostname}${port}${request.path}`,
    method: "POST",
    headers,
    // The SDK's body is a Uint8Array subclass whose valueOf() is a string (with a warning):
    // copy the bytes, not the value.
    body:
      typeof body === "string"
        ? body
        : Buffer.from(
            (body as Uint8Array).buffer,
            (body as Uint8Array).byteOffset,
            (body as Uint8Array).byteLength,
          ).toString("utf8"),
  };
}

/** Whether the endpoint serves the captured request with its signature corrupted. */
export async function acceptsBadSignature(target: HttpTarget): Promise<boolean> {
  const headers = { ...target.headers };
  headers.authorization = (headers.authorization ?? "").replace(
    /Signature=[0-9a-f]+/,
    `Signature=${"0".repeat(64)}`,
  );
  const response = await fetch(target.url, {
    method: "POST",
    headers,
    ...(target.body ? { body: target.body } : {}),
  });
  await response.arrayBuffer();
  return response.status === 200;
}
