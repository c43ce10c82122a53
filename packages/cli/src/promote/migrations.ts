import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { isObject } from "./side.js";

/**
 * Data migrations are invisible in templates (the seed's "Data migration" row), so they are
 * listed from core's migration registry, when this tree has one. Which of them already ran
 * in a stage is recorded in that stage's table, out of reach offline: against another
 * commit the new ones are the pending ones; between two stages of one tree every
 * registered migration is listed, to be checked against the target stage.
 */
export const REGISTRY = "packages/core/src/migration/registry.ts";

export interface MigrationInfo {
  id: string;
  description: string;
  reversible?: boolean;
}

export type MigrationStatus =
  | { kind: "no-registry"; note: string }
  | { kind: "unreadable"; note: string }
  | { kind: "listed"; migrations: MigrationInfo[]; note: string };

const run = promisify(execFile);

function asMigrations(value: unknown): MigrationInfo[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const all = value.every(
    (item) => isObject(item) && typeof item.id === "string" && typeof item.description === "string",
  );
  if (!all) return undefined;
  return value.map((item: { id: string; description: string; reversible?: unknown }) => ({
    id: item.id,
    description: item.description,
    ...(typeof item.reversible === "boolean" ? { reversible: item.reversible } : {}),
  }));
}

/**
 * Placeholders for trees from before core took its configuration as an object (its entities
 * then read the environment at import); no table is touched. Today's registry needs none.
 */
const IMPORT_ENV = { STAGE: "none", AWS_REGION: "eu-north-1", TABLE_NAME: "none" };

async function importRegistry(root: string): Promise<Record<string, unknown>> {
  const saved = Object.fromEntries(Object.keys(IMPORT_ENV).map((k) => [k, process.env[k]]));
  for (const [name, value] of Object.entries(IMPORT_ENV)) process.env[name] ??= value;
  try {
    return (await import(pathToFileURL(path.join(root, REGISTRY)).href)) as Record<string, unknown>;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The registry's migrations: the first exported list of `{ id, description }`. */
async function registered(root: string): Promise<MigrationInfo[]> {
  const module = await importRegistry(root);
  for (const value of Object.values(module)) {
    const found = asMigrations(value) ?? asMigrations(isObject(value) ? Object.values(value) : []);
    if (found) return found;
  }
  const exported = Object.values(module).some((value) => Array.isArray(value));
  if (exported) return [];
  throw new Error(`${REGISTRY} exports no list of migrations ({ id, description })`);
}

/** Migration ids a commit's registry file names (read from git, no checkout needed). */
async function idsAt(root: string, commit: string): Promise<Set<string> | undefined> {
  try {
    const { stdout } = await run("git", ["show", `${commit}:${REGISTRY}`], { cwd: root });
    return new Set(stdout.match(/\b\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\b/g) ?? []);
  } catch {
    return undefined;
  }
}

export async function migrationStatus(
  root: string,
  target: string,
  baseCommit?: { ref: string; sha: string },
): Promise<MigrationStatus> {
  if (!existsSync(path.join(root, REGISTRY))) {
    return {
      kind: "no-registry",
      note: `No migration registry in this tree (${REGISTRY}): data migrations are not listed.`,
    };
  }
  let all: MigrationInfo[];
  try {
    all = await registered(root);
  } catch (error) {
    return {
      kind: "unreadable",
      note: `Cannot read ${REGISTRY}: ${(error as Error).message}`,
    };
  }
  if (!baseCommit) {
    return {
      kind: "listed",
      migrations: all,
      note:
        `Every registered migration; which of them ${target} has applied is in its table: ` +
        `\`pnpm -s localstays migrate status --stage ${target}\`.`,
    };
  }
  const before = (await idsAt(root, baseCommit.sha)) ?? new Set<string>();
  return {
    kind: "listed",
    migrations: all.filter((migration) => !before.has(migration.id)),
    note:
      `Migrations registered in this tree but not at ${baseCommit.ref}: dry-run, review, then ` +
      `apply them on ${target} (\`pnpm -s localstays migrate run --stage ${target} --id <id> --dry-run\`).`,
  };
}
