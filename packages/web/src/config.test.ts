import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.js";

const aws = {
  VITE_API_URL: "https://api.example.com/",
  VITE_USER_POOL_ID: "eu-north-1_abc",
  VITE_USER_POOL_CLIENT_ID: "client",
};

describe("parseConfig", () => {
  it("uses SRP sign-in when no Cognito endpoint is set (AWS)", () => {
    expect(parseConfig({ ...aws, VITE_COGNITO_ENDPOINT: "" })).toEqual({
      ok: true,
      config: {
        apiUrl: "https://api.example.com",
        userPoolId: "eu-north-1_abc",
        userPoolClientId: "client",
        authFlow: "USER_SRP_AUTH",
      },
    });
  });

  it("uses password sign-in and shows the code against cognito-local", () => {
    const result = parseConfig({
      ...aws,
      VITE_COGNITO_ENDPOINT: "http://127.0.0.1:9229",
      VITE_MAIL_URL: "http://127.0.0.1:8005",
    });
    expect(result.ok && result.config).toMatchObject({
      cognitoEndpoint: "http://127.0.0.1:9229",
      mailUrl: "http://127.0.0.1:8005",
      authFlow: "USER_PASSWORD_AUTH",
    });
  });

  it("names every missing or malformed setting", () => {
    const result = parseConfig({ VITE_API_URL: "not a url", VITE_USER_POOL_ID: "" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      "VITE_API_URL must be the API's URL",
      "VITE_USER_POOL_ID must be the Cognito user pool id",
      "VITE_USER_POOL_CLIENT_ID must be the Cognito app client id",
    ]);
  });
});
