import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../src/child-process.js";
import { freePort } from "../src/ports.js";
import type { LocalStack } from "../src/stack.js";
import { startTestStack } from "../src/testing.js";
import { startWeb } from "../src/web.js";

/**
 * The dashboard as the local stack serves it: built and previewed (the browser tests) or
 * through Vite's dev server (`pnpm start`), pointed at this stack either way. The journey
 * through it is packages/web/test/journey.test.ts.
 */
let stack: LocalStack;
let webUrl: string;
beforeAll(async () => {
  stack = await startTestStack({ web: "build" });
  if (!stack.outputs.WebUrl) throw new Error("the stack printed no WebUrl");
  webUrl = stack.outputs.WebUrl;
});
afterAll(async () => {
  await stack?.stop();
});

describe("the dashboard on the local stack", () => {
  it("builds the app with this stack's API, pool and client, and serves every route as the SPA", async () => {
    const page = await fetch(`${webUrl}/listings/some-deep-link`);
    expect(page.status).toBe(200);
    // The policy CloudFront sends in AWS, with this stack's origins.
    const { S3Endpoint, CognitoEndpoint } = stack.outputs;
    expect(page.headers.get("content-security-policy")).toContain(
      `connect-src 'self' ${stack.outputs.ApiUrl} ${CognitoEndpoint} ${S3Endpoint}`,
    );
    expect(await page.text()).toContain('<div id="root">');

    const assets = path.join(stack.dataDir, "web", "dist", "assets");
    const bundle = readdirSync(assets)
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(path.join(assets, file), "utf8"))
      .join("\n");
    const { ApiUrl, UserPoolId, UserPoolClientId } = stack.outputs;
    for (const value of [ApiUrl, UserPoolId, UserPoolClientId]) {
      expect(bundle.includes(value), `the bundle carries ${value}`).toBe(true);
    }
  });

  it("lets the dashboard's origin post presigned uploads to the local bucket (CORS)", async () => {
    const preflight = await fetch(`${stack.outputs.S3Endpoint}/${stack.outputs.BucketName}`, {
      method: "OPTIONS",
      headers: { origin: webUrl, "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves the sources through Vite's dev server for `pnpm start`, and stops it", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "localstays-web-dev-"));
    let web: RunningService | undefined;
    try {
      web = await startWeb({
        mode: "dev",
        port: await freePort(),
        directory,
        settings: {
          apiUrl: stack.outputs.ApiUrl,
          userPoolId: stack.outputs.UserPoolId,
          userPoolClientId: stack.outputs.UserPoolClientId,
          cognitoEndpoint: stack.outputs.CognitoEndpoint,
          mailUrl: stack.outputs.MailUrl,
          s3Endpoint: stack.outputs.S3Endpoint,
        },
      });
      expect(await (await fetch(web.endpoint)).text()).toContain("/@vite/client");
      await web.stop();
      await expect(fetch(web.endpoint)).rejects.toThrow();
    } finally {
      await web?.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
