import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { ADMIN_GROUP, Listing } from "@localstays/core";
import { isBookkeeping } from "@localstays/core/migration/index";
import type { Runtime } from "@localstays/core/runtime";
import { TableSchema } from "@localstays/core/table";

/** ElectroDB's entity attribute: every item core writes carries it. */
const ENTITY = "__edb_e__";
export const BOOKKEEPING = "(migration bookkeeping)";
export const OTHER = "(no entity)";
const SAMPLE = 5;

export type Counts = Record<string, number>;

export interface Verification {
  counts: Counts;
  /** The source table's counts, when compared. */
  sourceCounts?: Counts;
  /** Listings read back through core (by id, and ONLINE ones through the city index). */
  sampled: string[];
  problems: string[];
}

interface ListingKey {
  hostId: string;
  listingId: string;
  status: string;
  city: string;
}

/** Items per entity type, and a sample of listings, from one full scan. */
export async function countItems(
  client: DynamoDBClient,
  table: string,
): Promise<{ counts: Counts; listings: ListingKey[] }> {
  const counts: Counts = {};
  const listings: ListingKey[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const entity = item[ENTITY]?.S;
      const kind = isBookkeeping({ pk: item.pk?.S }) ? BOOKKEEPING : (entity ?? OTHER);
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (kind === "listing" && listings.length < SAMPLE) {
        listings.push({
          hostId: item.hostId?.S ?? "",
          listingId: item.listingId?.S ?? "",
          status: item.status?.S ?? "",
          city: item.address?.M?.city?.S ?? "",
        });
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { counts, listings };
}

/**
 * Checks a restored table before anyone points a stage at it: every index of core's schema
 * there and ACTIVE, items per entity type (equal to the source's when `compareWith` is given:
 * a copy; a point-in-time restore is compared by the operator), and a sample of listings
 * readable through core itself in `runtime()` (configured with the restored table, built
 * only when there is a listing to read): by id,
 * and the ONLINE ones through the city index, as guests find them.
 */
export async function verifyRestored(
  client: DynamoDBClient,
  table: string,
  runtime: () => Promise<Runtime>,
  options: { compareWith?: string } = {},
): Promise<Verification> {
  const problems: string[] = [];
  const described = (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  if (described?.TableStatus !== "ACTIVE") {
    problems.push(`table is ${described?.TableStatus ?? "missing"}`);
  }
  const indexes = new Map(
    (described?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.IndexStatus]),
  );
  for (const name of Object.keys(TableSchema.globalIndexes)) {
    const status = indexes.get(name);
    if (status !== "ACTIVE") problems.push(`index ${name} is ${status ?? "missing"}`);
  }

  const { counts, listings } = await countItems(client, table);
  const verification: Verification = { counts, sampled: [], problems };
  if (options.compareWith) {
    const source = await countItems(client, options.compareWith);
    verification.sourceCounts = source.counts;
    for (const kind of new Set([...Object.keys(counts), ...Object.keys(source.counts)])) {
      if ((counts[kind] ?? 0) !== (source.counts[kind] ?? 0)) {
        problems.push(
          `${kind}: ${counts[kind] ?? 0} items, the source has ${source.counts[kind] ?? 0}`,
        );
      }
    }
  }

  const admin = { sub: "localstays-restore-verify", groups: [ADMIN_GROUP] };
  for (const listing of listings) {
    try {
      const core = await runtime();
      const read = await core.run(() => Listing.get(admin, listing.hostId, listing.listingId));
      if (read.listingId !== listing.listingId) throw new Error("another listing came back");
      if (listing.status === "ONLINE") {
        const page = await core.run(() => Listing.search({ city: listing.city, limit: 100 }));
        if (!page.items.some((found) => found.listingId === listing.listingId)) {
          throw new Error(`not found by a search for ${listing.city} (GSI4)`);
        }
      }
      verification.sampled.push(listing.listingId);
    } catch (error) {
      problems.push(`listing ${listing.listingId} unreadable: ${(error as Error).message}`);
    }
  }
  return verification;
}

/** The counts as aligned lines, with the source's beside them when compared. */
export function formatCounts(verification: Verification): string[] {
  const { counts, sourceCounts } = verification;
  const kinds = [...new Set([...Object.keys(counts), ...Object.keys(sourceCounts ?? {})])].sort();
  return kinds.map((kind) => {
    const restored = String(counts[kind] ?? 0).padStart(8);
    const source = sourceCounts ? `  (source ${sourceCounts[kind] ?? 0})` : "";
    return `  ${kind.padEnd(26)}${restored}${source}`;
  });
}
