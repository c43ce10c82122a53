import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../src/child-process.js";
import { startLambdaInvoke } from "../src/lambda-invoke.js";
import type { Log } from "../src/log.js";
import { freePort } from "../src/ports.js";

/** The Lambda Invoke API as cognito-local calls it for a trigger. */
let lambda: RunningService;
const errors: string[] = [];
const log: Log = { info() {}, warn() {}, error: (message) => errors.push(message) };

beforeAll(async () => {
  lambda = await startLambdaInvoke({
    port: await freePort(),
    region: "eu-north-1",
    log,
    functions: {
      "fn-ok": "packages/local/test/fixtures/handlers.plainObject",
      "fn-fails": "packages/local/test/fixtures/handlers.throws",
    },
  });
});
afterAll(() => lambda?.stop());

function invoke(name: string, headers: Record<string, string> = {}) {
  return fetch(`${lambda.endpoint}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
    method: "POST",
    headers,
    body: JSON.stringify({ triggerSource: "PostConfirmation_ConfirmSignUp" }),
  });
}

describe("local Lambda invoke endpoint", () => {
  it("answers 200 with the handler's result, by name or by ARN", async () => {
    for (const name of ["fn-ok", "arn:aws:lambda:eu-north-1:000000000000:function:fn-ok"]) {
      const response = await invoke(name);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-amz-function-error")).toBeNull();
      expect(await response.json()).toEqual({ hello: "world" });
    }
  });

  it("reports a failing handler as Lambda does, and loudly in the log", async () => {
    const response = await invoke("fn-fails");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amz-function-error")).toBe("Unhandled");
    expect(await response.json()).toMatchObject({
      errorType: "Error",
      errorMessage: "secret internals",
    });
    expect(errors.some((m) => m.includes("fn-fails") && m.includes("FAILED"))).toBe(true);
  });

  it("answers 404 for a function it does not know, and 202 for an async invocation", async () => {
    expect((await invoke("nope")).status).toBe(404);
    expect((await invoke("fn-ok", { "x-amz-invocation-type": "Event" })).status).toBe(202);
  });
});
