import { describe, expect, it } from "vitest";
import { AuthorizationFailed, AuthorizerUnavailable, createJwtAuthorizer } from "../src/jwt.js";
import { freePort } from "../src/ports.js";
import { forgeToken } from "../src/testing.js";

// Claims checks against the real cognito-local run in packages/functions/test/api.test.ts;
// these are the cases that need no running pool.
describe("JWT authorizer", () => {
  it("refuses a missing token before fetching any key", async () => {
    const authorize = createJwtAuthorizer({ issuer: "http://127.0.0.1:1/pool", audience: ["c"] });
    for (const header of [undefined, "", "Bearer ", "Bearer"]) {
      await expect(authorize(header)).rejects.toBeInstanceOf(AuthorizationFailed);
    }
  });

  it("reports an unreachable key set as unavailable, not as a bad token", async () => {
    const issuer = `http://127.0.0.1:${await freePort()}/local_pool`;
    const authorize = createJwtAuthorizer({ issuer, audience: ["client"] });
    const token = await forgeToken({ Issuer: issuer, UserPoolClientId: "client" }, {});
    await expect(authorize(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthorizerUnavailable);
  });
});
