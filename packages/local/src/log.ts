/**
 * The local stack's console output. Tests pass `quiet` so only real problems reach the
 * test report; a developer running `pnpm start` sees every request.
 */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export function createLog(options: { quiet?: boolean } = {}): Log {
  return {
    info(message) {
      if (!options.quiet) console.log(message);
    },
    warn(message) {
      console.warn(paint(33, message));
    },
    error(message, error) {
      console.error(paint(31, message));
      if (error !== undefined) console.error(error);
    },
  };
}
