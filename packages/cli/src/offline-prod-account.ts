/**
 * Prod synthesizes only with its account configured; offline any 12 digits do (README), so
 * prod's real id never needs to be on this machine.
 */
export const PLACEHOLDER_PROD_ACCOUNT = "000000000000";

/**
 * For commands that synthesize offline (promote-check, cost): when one of `stages` is prod
 * and LOCALSTAYS_PROD_ACCOUNT_ID is unset, sets it to the placeholder and says so.
 */
export async function ensureOfflineProdAccount(
  stages: string[],
  log: (line: string) => void,
): Promise<void> {
  const { stageSettings } = await import("../../../stacks/stage.js");
  const needsProd = stages.some((stage) => stageSettings(stage, {}).environment === "prod");
  if (needsProd && !process.env.LOCALSTAYS_PROD_ACCOUNT_ID) {
    process.env.LOCALSTAYS_PROD_ACCOUNT_ID = PLACEHOLDER_PROD_ACCOUNT;
    log(
      `LOCALSTAYS_PROD_ACCOUNT_ID is not set: synthesizing prod offline for account ${PLACEHOLDER_PROD_ACCOUNT}.`,
    );
  }
}
