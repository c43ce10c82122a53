import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { currentRuntime } from "@localstays/core/runtime";
import { decodeJwt, importJWK, type JWTPayload, SignJWT } from "jose";
import type { Outputs } from "./outputs.js";
import { type LocalStack, type StartOptions, startLocalStack } from "./stack.js";

/**
 * Test support: a local stack on free ports with a throw-away data directory. By default it
 * uses the test run's shared DynamoDB Local and this test file's table (the runtime
 * src/vitest/table-per-file.ts configures), so no extra Java starts; the handlers then see the
 * same table as the test's own core calls.
 */
export async function startTestStack(
  options: Omit<StartOptions, "ports" | "quiet"> & { sharedDynamoDb?: boolean } = {},
): Promise<LocalStack> {
  const { sharedDynamoDb = true, ...rest } = options;
  const dataDir = rest.dataDir ?? mkdtempSync(join(tmpdir(), "localstays-test-"));
  const config = currentRuntime()?.config;
  const endpoint = config?.DYNAMODB_ENDPOINT;
  const tableName = config?.TABLE_NAME;
  if (sharedDynamoDb && (!endpoint || !tableName)) {
    throw new Error(
      "startTestStack needs a configured runtime with DYNAMODB_ENDPOINT (src/vitest/table-per-file.ts configures it)",
    );
  }
  const stack = await startLocalStack({
    ...rest,
    dataDir,
    ports: "free",
    quiet: true,
    ...(sharedDynamoDb && endpoint && tableName ? { dynamodb: { endpoint, tableName } } : {}),
  });
  // Not a spread copy: `runtime` is a getter (a restore's cut-over switches it).
  const stop = stack.stop;
  stack.stop = async () => {
    await stop();
    if (!rest.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return stack;
}

const require = createRequire(import.meta.url);

/**
 * A token signed with cognito-local's own key (it ships in the package), so only the claims
 * a test changes (expiry, audience, issuer, token use) make it invalid — not the signature.
 * By default an access token of the stack's app client, the only kind the API accepts; pass
 * `token_use: "id"` and `aud` for an ID token.
 */
export async function forgeToken(
  outputs: Pick<Outputs, "Issuer" | "UserPoolClientId">,
  claims: JWTPayload & { exp?: number; iat?: number },
): Promise<string> {
  const file = join(
    dirname(require.resolve("cognito-local/package.json")),
    "lib/keys/cognitoLocal.private.json",
  );
  const { jwk } = JSON.parse(readFileSync(file, "utf8")) as {
    jwk: Parameters<typeof importJWK>[0];
  };
  const key = await importJWK(jwk, "RS256");
  const now = Math.floor(Date.now() / 1000);
  const kind =
    claims.token_use === "id"
      ? { aud: outputs.UserPoolClientId }
      : { client_id: outputs.UserPoolClientId, username: claims.sub ?? "forged-sub" };
  return new SignJWT({
    token_use: "access",
    sub: "forged-sub",
    ...kind,
    iss: outputs.Issuer,
    iat: now,
    exp: now + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "CognitoLocal" })
    .sign(key);
}

/** The claims of a token, unverified (tests read what cognito-local put in). */
export function claimsOf(token: string): JWTPayload {
  return decodeJwt(token);
}
