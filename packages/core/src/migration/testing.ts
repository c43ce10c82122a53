import {
  CreateTableCommand,
  DeleteTableCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { inParallel } from "../concurrency.js";
import { createTableInput } from "../table.js";
import { documentsOf } from "./context.js";
import type { RawItem } from "./definition.js";
import { legacyListingItem } from "./migrations/0001-legacy-listing.js";
import { withRetries } from "./retry.js";
import { keyString } from "./segments.js";
import { readRecords } from "./state.js";

/**
 * Test and benchmark support: tables of legacy listings written the way the legacy app
 * wrote them, and whole-table snapshots to compare. Deterministic: the same plan gives the
 * same items, so two tables can be filled alike and compared after different histories.
 */
export interface LegacyPlan {
  /** Legacy ACTIVE listings: what migration 0001 is for. */
  active: number;
  /** Listings ONLINE before the migration: it must leave them alone (and revert too). */
  online?: number;
  /** Listings in the other statuses, round robin. */
  other?: number;
}

const OTHER = ["DRAFT", "IN_REVIEW", "APPROVED", "OFFLINE", "ARCHIVED", "REJECTED"] as const;
const CITIES = ["Zürich", "Genève", "Basel", "Bern", "Lausanne", "Luzern", "St. Gallen"];

/** `listing_<26 Crockford characters>`: digits are valid ULID characters. */
export const listingIdAt = (n: number) => `listing_01J${String(n).padStart(23, "0")}`;
const hostIdAt = (n: number) => `host_01J${String(n).padStart(23, "0")}`;

export function legacyItems(plan: LegacyPlan): RawItem[] {
  const items: RawItem[] = [];
  const add = (status: Parameters<typeof legacyListingItem>[0]["status"]) => {
    const n = items.length;
    items.push(
      legacyListingItem({
        listingId: listingIdAt(n),
        hostId: hostIdAt(n % 97),
        status,
        city: CITIES[n % CITIES.length] as string,
        version: 1 + (n % 7),
        at: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
      }),
    );
  };
  for (let i = 0; i < plan.active; i++) add("ACTIVE");
  for (let i = 0; i < (plan.online ?? 0); i++) add("ONLINE");
  for (let i = 0; i < (plan.other ?? 0); i++) add(OTHER[i % OTHER.length]);
  return items;
}

/** Raw puts, 25 per BatchWriteItem, a few at a time. */
export async function putItems(client: DynamoDBClient, table: string, items: RawItem[]) {
  const documents = documentsOf(client);
  const batches: RawItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await inParallel(
    batches.map((batch) => async () => {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const result = await withRetries(() =>
          documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests } })),
        );
        requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }),
    8,
  );
}

/**
 * Every item of the table, in key order: two snapshots compare with one `toEqual`. Read in
 * parallel segments of 100-item pages: DynamoDB Local serves 1 MB scan pages of a big table
 * several times slower (measured: 20 000 listings, 13 s in 1 MB pages, 2 s like this).
 */
export async function snapshotTable(
  client: DynamoDBClient,
  table: string,
  segments = 4,
): Promise<RawItem[]> {
  const documents = documentsOf(client);
  const items: RawItem[] = [];
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            Limit: 100,
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  return items.sort((a, b) => keyString(a).localeCompare(keyString(b)));
}

/** A table built from the one schema, for a test that needs more than its file's table. */
export async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand(createTableInput(name)));
}

export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
}

/** A migration's own records whose sort key starts with `prefix` (cheap: one partition). */
export function migrationRecords(
  client: DynamoDBClient,
  table: string,
  migrationId: string,
  prefix: string,
): Promise<RawItem[]> {
  return readRecords(documentsOf(client), table, migrationId, prefix);
}
