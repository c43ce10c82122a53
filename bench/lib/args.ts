import { type ParseArgsConfig, parseArgs } from "node:util";

/**
 * A bench's command line, the same way in every bench: `--help` prints the usage and exits,
 * a bad value is a UsageError whose message ends with the usage (`runBench` prints it
 * without a stack), and the literal "--" pnpm passes through is ignored.
 */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Config<O extends Options> = {
  options: O & { help: { type: "boolean"; default: false } };
  allowPositionals: true;
};

export function benchArgs<const O extends Options>(usage: string, options: O) {
  const config = {
    options: { ...options, help: { type: "boolean", default: false } },
    allowPositionals: true,
  } as Config<O>;
  const { values } = parseArgs<Config<O>>(config);
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  /** A numeric option in [min, max]; whole unless `whole: false`. */
  const number = (
    name: string,
    raw: string,
    {
      min,
      max = Number.MAX_SAFE_INTEGER,
      whole = true,
    }: { min: number; max?: number; whole?: boolean },
  ): number => {
    const value = Number(raw);
    if (
      !Number.isFinite(value) ||
      (whole && !Number.isInteger(value)) ||
      value < min ||
      value > max
    ) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new UsageError(
        `--${name} must be a ${whole ? "whole " : ""}number ${range}, not "${raw}"\n${usage}`,
      );
    }
    return value;
  };
  return { values, number };
}

/** Runs a bench's main: a UsageError prints its message, anything else its stack; exit 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error);
    process.exitCode = 1;
  });
}
