import { describe, expect, it, vi } from "vitest";
import { actingGroups, assertAccessToken } from "../src/access-token.js";
import { Unauthorized } from "../src/errors.js";

const CLIENT = "stage-app-client";
/** As API Gateway's JWT authorizer hands them to the integration: every claim a string. */
const access = { sub: "s", token_use: "access", client_id: CLIENT, "cognito:groups": "[hosts]" };
const id = { sub: "s", token_use: "id", aud: CLIENT, "cognito:groups": "[hosts]" };

describe("assertAccessToken", () => {
  it("accepts an access token of the stage's app client", () => {
    expect(() => assertAccessToken(access, CLIENT)).not.toThrow();
  });

  it("refuses the same client's ID token, which API Gateway's authorizer lets through", () => {
    expect(() => assertAccessToken(id, CLIENT)).toThrow(Unauthorized);
    expect(() => assertAccessToken(id, CLIENT)).toThrow(/ID tokens are not accepted/);
  });

  it("refuses an access token of another app client, and one without client_id", () => {
    expect(() => assertAccessToken({ ...access, client_id: "other" }, CLIENT)).toThrow(
      Unauthorized,
    );
    const { client_id: _, ...withoutClient } = access;
    expect(() => assertAccessToken(withoutClient, CLIENT)).toThrow(Unauthorized);
  });

  it("refuses claims without token_use or with another one", () => {
    const { token_use: _, ...withoutUse } = access;
    for (const claims of [withoutUse, { ...access, token_use: "refresh" }, {}]) {
      expect(() => assertAccessToken(claims, CLIENT), JSON.stringify(claims)).toThrow(Unauthorized);
    }
  });
});

describe("actingGroups", () => {
  const required = { totpRequired: true };
  const optional = { totpRequired: false };

  it("keeps admins for an admin with TOTP where the stage requires it", async () => {
    const hasTotp = vi.fn(async () => true);
    expect(await actingGroups("[admins hosts]", required, hasTotp)).toEqual({
      groups: ["admins", "hosts"],
      adminTotpMissing: false,
    });
    expect(hasTotp).toHaveBeenCalledTimes(1);
  });

  it("drops admins for an admin without TOTP where the stage requires it", async () => {
    expect(await actingGroups("[admins hosts]", required, async () => false)).toEqual({
      groups: ["hosts"],
      adminTotpMissing: true,
    });
  });

  it("never asks the pool about a host, nor where the stage does not require TOTP", async () => {
    const hasTotp = vi.fn(async () => false);
    expect(await actingGroups("[hosts]", required, hasTotp)).toEqual({
      groups: ["hosts"],
      adminTotpMissing: false,
    });
    expect(await actingGroups("[x,admins]", required, hasTotp)).toMatchObject({
      groups: ["x,admins"],
    });
    expect(await actingGroups("[admins]", optional, hasTotp)).toEqual({
      groups: ["admins"],
      adminTotpMissing: false,
    });
    expect(hasTotp).not.toHaveBeenCalled();
  });

  it("lets a failing pool lookup fail the request rather than guess", async () => {
    const down = async () => {
      throw new Error("Cognito is down");
    };
    await expect(actingGroups("[admins]", required, down)).rejects.toThrow("Cognito is down");
  });
});
