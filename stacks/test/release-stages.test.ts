import type { App } from "sst/constructs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { configureApp } from "../../sst.config.js";
import { synthesize } from "../synth.js";
import { PROD_ACCOUNT, prod, prodEnv, staging } from "./expectations.js";
import { describeStage } from "./stage-spec.js";

const OTHER_ACCOUNT = "111111111111";

/**
 * A stand-in for SST's App with just what configureApp touches first; configuring it
 * throws, so a test sees whether the guard let configureApp get that far.
 */
function fakeApp(mode: "deploy" | "remove", account: string) {
  const configuring = () => {
    throw new Error("configuring the app");
  };
  const app = {
    stage: "prod",
    account,
    mode,
    node: { setContext: vi.fn(configuring) },
    stack: vi.fn(),
  };
  return app as typeof app & App;
}

describeStage(staging);
describeStage(prod, prodEnv);

describe("the prod account guard in sst.config.ts", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("throws before the app is configured or any stack is built", () => {
    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", PROD_ACCOUNT);
    const app = fakeApp("deploy", OTHER_ACCOUNT);
    expect(() => configureApp(app)).toThrow(/Refusing to deploy stage "prod"/);
    expect(app.node.setContext).not.toHaveBeenCalled();
    expect(app.stack).not.toHaveBeenCalled();
  });

  it("makes offline synthesis of prod fail with the same clear message", async () => {
    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", PROD_ACCOUNT);
    await expect(synthesize({ stage: "prod", account: OTHER_ACCOUNT })).rejects.toThrow(
      `Refusing to deploy stage "prod" to account ${OTHER_ACCOUNT}: prod deploys only to account ${PROD_ACCOUNT}`,
    );
    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", "");
    await expect(synthesize({ stage: "prod" })).rejects.toThrow(
      /prod account is not configured\. Set LOCALSTAYS_PROD_ACCOUNT_ID/,
    );
  });

  it("stays out of the way of sst types, which builds prod without credentials or account", () => {
    const app = fakeApp("remove", "my-account");
    expect(() => configureApp(app)).toThrow("configuring the app");
  });
});
