import { afterAll, beforeAll, describe, vi } from "vitest";
import { type SynthResult, synthesize } from "../synth.js";
import { prod, prodEnv, staging } from "./expectations.js";
import { mailSpec } from "./mail-spec.js";
import { SYNTH_TIMEOUT_MS } from "./stage-spec.js";

/**
 * Staging and prod as they synthesize once SES is switched on (docs/operations.md, "E-mail":
 * `sesSending: true` in stacks/stage.ts after the identity is verified and the account has
 * left the sandbox): the pool sends through SES and the outbox delivery runs. Their real
 * settings (sending off) are checked by the stage specs; this file flips only that setting,
 * through the module every stack reads it from, and keeps these syntheses out of the run's
 * synthesis cache.
 */
vi.mock("../stage.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../stage.js")>();
  return {
    ...actual,
    stageSettings: (...args: Parameters<typeof actual.stageSettings>) => {
      const settings = actual.stageSettings(...args);
      return { ...settings, mail: { ...settings.mail, sesSending: true } };
    },
  };
});

for (const [expected, env] of [
  [staging, {}],
  [prod, prodEnv],
] as const) {
  describe(`stage ${expected.stage} with SES sending switched on`, () => {
    const ctx = { result: undefined as unknown as SynthResult };
    beforeAll(async () => {
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      ctx.result = await synthesize({ stage: expected.stage, shared: false });
    }, SYNTH_TIMEOUT_MS);
    afterAll(() => {
      vi.unstubAllEnvs();
    });

    mailSpec({ ...expected, mail: { ...expected.mail, sesSending: true } }, ctx);
  });
}
