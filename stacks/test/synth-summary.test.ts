import { describe, expect, it } from "vitest";
import { formatSynthSummary, parseSynthSummary } from "../synth-summary.js";

describe("pnpm synth's summary line", () => {
  const summary = {
    stacks: 9,
    stage: "dev1",
    mode: "deploy",
    account: "041608526793",
    region: "eu-north-1",
    out: "/tmp/out dir",
  };

  it("reads back what it writes, among the lines before it", () => {
    const stdout = `  /tmp/out dir/a.template.json\n${formatSynthSummary(summary)}\ncdk-nag: 0 error(s)\n`;
    expect(parseSynthSummary(stdout)).toEqual(summary);
    expect(parseSynthSummary(formatSynthSummary({ ...summary, mode: "dev" }))?.mode).toBe("dev");
  });

  it("reads the line of commits from before the mode was printed (promote-check --base-ref)", () => {
    const old =
      'Synthesized 8 stacks for stage "prod" (account 210987654321, eu-central-1) into /tmp/x';
    expect(parseSynthSummary(old)).toEqual({
      stacks: 8,
      stage: "prod",
      mode: "deploy",
      account: "210987654321",
      region: "eu-central-1",
      out: "/tmp/x",
    });
  });

  it("finds none in an output without it (a silent failure is not a success)", () => {
    expect(parseSynthSummary("➜  Building the container image...\n")).toBeUndefined();
  });
});
