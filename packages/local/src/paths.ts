import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root, found from this file rather than the working directory: `pnpm start`
 * runs in packages/local, the CLI and tests run from the root, and all must agree on where
 * `.localstays/` and the handler files are.
 */
export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export const defaultDataDir = join(repoRoot, ".localstays");

/** The layout of a data directory: one folder per stand-in plus the stack's own files. */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    dynamodb: join(dataDir, "dynamodb"),
    s3: join(dataDir, "s3"),
    cognito: join(dataDir, "cognito"),
    /** The dashboard's env file and, when built, the app. */
    web: join(dataDir, "web"),
    /** Ids the stack created (user pool, app client), so a restart reuses them. */
    state: join(dataDir, "state.json"),
    outputs: join(dataDir, "outputs.json"),
    /**
     * The table the stack's handlers use, when a restore cut over to another one: the local
     * twin of the stage's SSM table setting (table-setting.ts).
     */
    tableSetting: join(dataDir, "table-setting.json"),
    marker: join(dataDir, ".localstays-data"),
  };
}

/**
 * Creates the data directory; with `fresh`, wipes it first. A directory is only wiped when
 * it is empty or carries our marker file, so a mistyped `--data-dir` cannot delete a
 * directory the local stack did not create.
 */
export function prepareDataDir(dataDir: string, fresh: boolean): void {
  const paths = dataPaths(dataDir);
  if (fresh && existsSync(dataDir)) {
    const isOurs = existsSync(paths.marker) || readdirSync(dataDir).length === 0;
    if (!isOurs) {
      throw new Error(
        `Refusing to wipe ${dataDir}: it was not created by the local stack (no ${paths.marker}).`,
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(paths.marker)) {
    writeFileSync(
      paths.marker,
      "State of the Localstays local stack; `pnpm start --fresh` wipes it.\n",
    );
  }
}
