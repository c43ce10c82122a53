import { CheckFailed } from "./http.js";

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  ms: number;
  detail: string;
}

/** Runs the checks in order and records each; a failure is recorded, never thrown. */
export class Runner {
  readonly results: CheckResult[] = [];

  /** Runs one check; undefined when it failed. */
  async run<T>(name: string, check: () => Promise<{ value: T; detail: string }>) {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const { value, detail } = await check();
      this.results.push({ name, status: "pass", ms: ms(), detail });
      return value;
    } catch (error) {
      const detail =
        error instanceof CheckFailed
          ? error.message
          : `unexpected error: ${(error as Error).stack ?? error}`;
      this.results.push({ name, status: "fail", ms: ms(), detail });
      return undefined;
    }
  }

  skip(names: readonly string[], why: string): void {
    for (const name of names) this.results.push({ name, status: "skip", ms: 0, detail: why });
  }
}
