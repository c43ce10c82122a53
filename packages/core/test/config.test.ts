import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

const base = { STAGE: "dev1", AWS_REGION: "eu-north-1", TABLE_NAME: "localstays-dev1" };

describe("runtime config", () => {
  it("accepts the stacks' variables and reads feature flags as booleans", () => {
    expect(parseConfig({ ...base, ENABLE_FEATURE_X: "true" }).ENABLE_FEATURE_X).toBe(true);
    expect(parseConfig({ ...base, ENABLE_FEATURE_X: "0" }).ENABLE_FEATURE_X).toBe(false);
    expect(parseConfig(base).ENABLE_FEATURE_X).toBe(false);
  });

  it("fails loudly, naming every missing or malformed variable", () => {
    expect(() => parseConfig({ ENABLE_FEATURE_X: "yes", DYNAMODB_ENDPOINT: "not a url" })).toThrow(
      ConfigError,
    );
    const parse = () => parseConfig({ ENABLE_FEATURE_X: "yes" });
    for (const name of ["STAGE", "AWS_REGION", "TABLE_NAME", "ENABLE_FEATURE_X"]) {
      expect(parse).toThrow(name);
    }
  });
});
