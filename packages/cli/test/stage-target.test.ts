import { afterEach, describe, expect, it, vi } from "vitest";
import { CliError } from "../src/errors.js";
import { checkTable, resolveStageTarget } from "../src/stage-target.js";

const SEED_DEV_ACCOUNT = "041608526793";
const OTHER_ACCOUNT = "111111111111";

/** DescribeTable's answer, reduced to what checkTable reads: the account in the table's ARN. */
const tableIn = (account: string) => async () => ({ account });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("a named stage's table is in the stage's account", () => {
  it("accepts dev1's and staging's table in the dev account", async () => {
    vi.stubEnv("LOCALSTAYS_DEV_ACCOUNT_ID", "");
    for (const stage of ["dev1", "staging"]) {
      const target = await resolveStageTarget({ stage });
      await expect(checkTable(target, tableIn(SEED_DEV_ACCOUNT))).resolves.toEqual({
        account: SEED_DEV_ACCOUNT,
      });
    }
  });

  it("refuses a table of the same name in another account, naming the variable to set", async () => {
    vi.stubEnv("LOCALSTAYS_DEV_ACCOUNT_ID", "");
    const target = await resolveStageTarget({ stage: "staging" });
    const refused = checkTable(target, tableIn(OTHER_ACCOUNT));
    await expect(refused).rejects.toThrow(CliError);
    await expect(refused).rejects.toThrow(
      "Table localstays-staging is in another account than stage staging's " +
        "(LOCALSTAYS_DEV_ACCOUNT_ID): check the AWS credentials of this shell, or set " +
        "LOCALSTAYS_DEV_ACCOUNT_ID to the stage's 12-digit account id.",
    );
  });

  it("follows LOCALSTAYS_DEV_ACCOUNT_ID when the dev account is another", async () => {
    vi.stubEnv("LOCALSTAYS_DEV_ACCOUNT_ID", OTHER_ACCOUNT);
    const target = await resolveStageTarget({ stage: "dev1" });
    await expect(checkTable(target, tableIn(OTHER_ACCOUNT))).resolves.toBeDefined();
    await expect(checkTable(target, tableIn(SEED_DEV_ACCOUNT))).rejects.toThrow(
      /LOCALSTAYS_DEV_ACCOUNT_ID/,
    );
  });

  it("lets a personal stage's table be in any account but prod's", async () => {
    vi.stubEnv("LOCALSTAYS_PROD_ACCOUNT_ID", "210987654321");
    const target = await resolveStageTarget({ stage: "ana" });
    await expect(checkTable(target, tableIn(OTHER_ACCOUNT))).resolves.toBeDefined();
    const refuseProd = (what: string): never => {
      throw new CliError(`no prod: ${what}`);
    };
    await expect(checkTable(target, tableIn("210987654321"), { refuseProd })).rejects.toThrow(
      "no prod: a table in the prod account",
    );
  });
});
