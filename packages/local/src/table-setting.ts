import { readFileSync, unwatchFile, watchFile, writeFileSync } from "node:fs";
import { dataPaths } from "./paths.js";

/**
 * The local stack's table setting: which table of its DynamoDB the handlers use, when it is
 * not the stack's own (`localstays-local`). The local twin of the stage's SSM parameter
 * (`/localstays/<stage>/table-name`): `localstays restore --stage local --cutover` writes it,
 * the running stack switches its handlers to that table (stack.ts), and a restarted stack
 * starts on it. `pnpm start --fresh` wipes it with the rest of the data directory.
 */
export interface TableSetting {
  table: string;
  /** The table in use before the cut-over (kept until someone deletes it). */
  previous?: string;
  /** ISO time of the cut-over. */
  since: string;
}

export function readTableSetting(dataDir: string): TableSetting | undefined {
  let text: string;
  try {
    text = readFileSync(dataPaths(dataDir).tableSetting, "utf8");
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<TableSetting>;
  if (typeof parsed.table !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(parsed.table)) {
    throw new Error(`${dataPaths(dataDir).tableSetting} names no valid table: ${text.trim()}`);
  }
  return parsed as TableSetting;
}

export function writeTableSetting(dataDir: string, setting: TableSetting): string {
  const file = dataPaths(dataDir).tableSetting;
  writeFileSync(file, `${JSON.stringify(setting, null, 2)}\n`);
  return file;
}

/**
 * Calls `onChange` with the setting whenever the file changes (polled: fs.watch misses
 * writes on some file systems). Returns the function that stops watching.
 */
export function watchTableSetting(
  dataDir: string,
  onChange: (setting: TableSetting) => void,
  intervalMs = 200,
): () => void {
  const file = dataPaths(dataDir).tableSetting;
  const listener = () => {
    let setting: TableSetting | undefined;
    try {
      setting = readTableSetting(dataDir);
    } catch {
      return; // Half-written or invalid: the next write calls again.
    }
    if (setting) onChange(setting);
  };
  watchFile(file, { interval: intervalMs }, listener);
  return () => unwatchFile(file, listener);
}
