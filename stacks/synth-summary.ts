/**
 * The last line `pnpm synth` prints, and its reader: promote-check --base-ref runs another
 * commit's stacks/synth-cli.ts in a child and learns the target from this line. The reader
 * also takes the line of commits from before `in <mode> mode` was added, since the other
 * commit may be one of those.
 */
export interface SynthSummary {
  stacks: number;
  stage: string;
  mode: string;
  account: string;
  region: string;
  out: string;
}

export function formatSynthSummary(summary: SynthSummary): string {
  const { stacks, stage, mode, account, region, out } = summary;
  return `Synthesized ${stacks} stacks for stage "${stage}" in ${mode} mode (account ${account}, ${region}) into ${out}`;
}

const SUMMARY =
  /^Synthesized (\d+) stacks for stage "([^"]*)"(?: in (\w+) mode)? \(account (\d{12}), ([a-z0-9-]+)\) into (.+)$/m;

/** The summary in a synth-cli output; undefined when there is none (a silent failure). */
export function parseSynthSummary(stdout: string): SynthSummary | undefined {
  const match = SUMMARY.exec(stdout);
  if (!match) return undefined;
  const [, stacks, stage, mode, account, region, out] = match as unknown as string[];
  return {
    stacks: Number(stacks),
    stage: stage as string,
    // Older commits synthesized deploy mode only.
    mode: mode ?? "deploy",
    account: account as string,
    region: region as string,
    out: out as string,
  };
}
