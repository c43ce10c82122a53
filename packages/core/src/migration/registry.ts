import type { Migration } from "./definition.js";
import { listingStatusActiveToOnline } from "./migrations/0001-listing-status-active-to-online.js";

/** Every migration, in the order they apply. A new one goes at the end, with the next number. */
export const MIGRATIONS: readonly Migration[] = [listingStatusActiveToOnline];

for (const [i, migration] of MIGRATIONS.entries()) {
  const previous = MIGRATIONS[i - 1];
  if (previous && previous.id >= migration.id) {
    throw new Error(`Migrations out of order or twice: ${previous.id} before ${migration.id}`);
  }
}

export function findMigration(id: string): Migration | undefined {
  return MIGRATIONS.find((m) => m.id === id || m.id.startsWith(`${id}-`));
}
