import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { type Actor, ADMIN_GROUP, HOST_GROUP } from "../actor.js";
import { inParallel } from "../concurrency.js";
import { documentClient, dynamoClient } from "../dynamo.js";
import { Host } from "../host/index.js";
import { type Info, Listing } from "../listing/index.js";
import { STATUSES, type Status } from "../listing/status.js";
import { runtime } from "../runtime.js";
import type { TableSchema } from "../table.js";
import { type DemoListing, type GenerateOptions, generateDemoData, type Step } from "./generate.js";
import { givePhotos } from "./photos.js";
import { type Matched, matchPlan, stepsTaken } from "./resume.js";

/**
 * Writes demo data through the services, as hosts and an admin would: create, submit,
 * approve or reject, publish, unpublish, archive. Nothing is put into the table directly,
 * so seeded items have exactly the shape, keys and indexes real ones have.
 *
 * Which table is the caller's business: the runtime in effect (runtime.ts), which the CLI
 * and the local stack configure.
 */
export interface SeedOptions extends Omit<GenerateOptions, "extraHosts"> {
  /** Existing hosts (e.g. the local demo host) that get a listing in every status too. */
  extraHostIds?: readonly string[];
  /** Listings written at once. DynamoDB Local on two cores tops out around 8. */
  concurrency?: number;
  /**
   * Who turns the uploaded photos into READY ones; exactly one of them, or both would race
   * for each upload. "stage": the target's own processor (the local stack's upload events,
   * S3 -> SQS -> Lambda in AWS), which the seed waits for, at most `photoTimeoutMs` per
   * listing. "seed": this process, where no processor watches the bucket (core's tests,
   * `pnpm start` before it starts its upload events).
   */
  photos: "stage" | "seed";
  /** How long a listing's photos may stay PENDING_UPLOAD under "stage" (default 120 s). */
  photoTimeoutMs?: number;
  /** Called as each listing is done, for progress. */
  onListing?: (done: number, total: number) => void;
}

export interface SeededListing {
  ref: string;
  hostId: string;
  listingId: string;
  status: Status;
  city: string;
}

export interface SeedResult {
  seed: number;
  /** Hosts that got listings, or had listings finished (generated ones and extra ones). */
  hosts: number;
  /**
   * Hosts left alone: every listing of theirs in the plan was there and finished (an earlier
   * run of this seed), or, for an extra host, it had listings of its own and none of this seed.
   */
  skippedHosts: number;
  /** The listings this run created, or finished where an earlier run stopped. */
  listings: SeededListing[];
  /** How many of `listings` an earlier run had created and this one finished. */
  resumed: number;
  byStatus: Record<Status, number>;
  cities: number;
  ms: number;
}

/**
 * The reviewing admin of seeded listings. No Cognito user has this subject; it only ends up
 * in `review.reviewedBy`, which marks those reviews as seeded.
 */
const SEED_ADMIN: Actor = { sub: "seed:admin", groups: [ADMIN_GROUP] };
const hostActor = (hostId: string): Actor => ({
  sub: `seed:${hostId}`,
  groups: [HOST_GROUP],
  hostId,
});

const PHOTO_TIMEOUT_MS = 120_000;

/** A planned listing with what an earlier run left of it (see resume.ts). */
type Work = Matched<Info> & { hostId: string };

export async function seedDemoData(options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const extraHostIds = options.extraHostIds ?? [];
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const data = generateDemoData({ ...options, extraHosts: extraHostIds.length });

  // Hosts first (the listings need their ids), each with what an earlier run of this seed
  // left: a generated host's subject is the seed's, so its listings are matched to the plan
  // and only the missing and unfinished ones are worked on; running the same seed twice
  // adds nothing, and a run after a failure finishes the rest. An extra host (a real one)
  // with listings of its own and none of this seed is left alone: another seed gives it no
  // second set.
  const work: Work[] = [];
  let skippedHosts = 0;
  const plan = (hostId: string, planned: readonly DemoListing[], realHost: boolean) => async () => {
    const listings = await listingsOf(hostId);
    const { matches, matchedAny } = matchPlan(planned, listings);
    const todo = matches.filter((m) => !m.existing || !finished(m.planned, m.existing));
    if (!todo.length || (realHost && !matchedAny && listings.length)) {
      skippedHosts++;
      return;
    }
    for (const match of todo) work.push({ ...match, hostId });
  };
  const generated = data.hosts.map((host) => async () => {
    const { hostId } =
      (await Host.bySub(host.cognitoSub)) ??
      (await Host.register({
        cognitoSub: host.cognitoSub,
        email: host.email,
        displayName: host.displayName,
        // Generated hosts have no mailbox (example.com): their review decisions mail no one,
        // and a stage with SES sending on collects no bounces from a seed.
        reviewEmails: false,
      }));
    await plan(hostId, host.listings, false)();
  });
  const extra = extraHostIds.map((hostId, i) => async () => {
    await Host.get(SEED_ADMIN, hostId); // NotFound for a mistyped id, before any write
    await plan(hostId, data.extra[i] ?? [], true)();
  });
  // Extra hosts first: a mistyped id fails before anything is written.
  await inParallel(extra, concurrency);
  await inParallel(generated, concurrency);
  const hosts = new Set(work.map((w) => w.hostId)).size;

  // Then the listings, in the order generated, so ids (ULIDs) roughly follow it.
  work.sort((a, b) => order(a.planned.ref) - order(b.planned.ref));
  const listings: SeededListing[] = [];
  await inParallel(
    work.map((item) => async () => {
      const info = await replay(item, options);
      const { ref, city } = item.planned;
      listings.push({
        ref,
        hostId: item.hostId,
        listingId: info.listingId,
        status: info.status,
        city,
      });
      options.onListing?.(listings.length, work.length);
    }),
    concurrency,
  );
  listings.sort((a, b) => order(a.ref) - order(b.ref));

  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const listing of listings) byStatus[listing.status]++;
  return {
    seed: options.seed,
    hosts,
    skippedHosts,
    listings,
    resumed: work.filter((w) => w.existing).length,
    byStatus,
    cities: new Set(listings.map((l) => l.city)).size,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Done with: every step taken (a draft has none: its photos READY), or changed by somebody
 * since, which makes it no longer the seed's to change.
 */
function finished(planned: DemoListing, existing: Info): boolean {
  const taken = stepsTaken(planned, existing);
  if (taken === undefined) return true;
  if (taken < planned.steps.length) return false;
  return planned.steps.length > 0 || existing.photos.length >= photoPlan(planned).length;
}

/**
 * Which demo photos a listing gets: one or two once it goes to review (submit needs one),
 * none or one for a draft. Picked from its ref, so the same seed gives the same photos.
 * Each photo is processed like an upload (~0.1 s of CPU at 960 px): two at most keeps
 * `pnpm start`'s first seeding short.
 */
function photoPlan(listing: DemoListing): number[] {
  const n = order(listing.ref);
  const count = listing.steps.length ? 1 + (n % 2) : n % 2;
  return Array.from({ length: count }, (_, i) => n + i);
}

/** Generated hosts in order, then the extra hosts. */
function order(ref: string): number {
  const [host = "", listing = "0"] = ref.split("/");
  const n = host.startsWith("extra") ? 1e6 + Number(host.slice(5)) : Number(host);
  return n * 1000 + Number(listing);
}

/** Every listing of the host, ARCHIVED ones included. */
async function listingsOf(hostId: string): Promise<Info[]> {
  const actor = hostActor(hostId);
  const all: Info[] = [];
  for (const status of [undefined, "ARCHIVED"] as const) {
    let cursor: string | undefined;
    do {
      const page = await Listing.list(actor, hostId, { limit: 100, status, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return all;
}

/**
 * Creates the listing, or takes the one an earlier run left, and takes it through the steps
 * it has not taken yet; fails if it does not end as planned.
 */
async function replay(item: Work, options: SeedOptions): Promise<Info> {
  const { hostId, planned: listing } = item;
  const actor = hostActor(hostId);
  let info = item.existing ?? (await Listing.create(actor, hostId, listing.input));
  const { listingId } = info;
  const taken = item.existing ? (stepsTaken(listing, item.existing) ?? 0) : 0;
  // Photos come before the first step (submit needs one); past it they were there.
  if (taken === 0) {
    await givePhotos(actor, { hostId, listingId }, photoPlan(listing), {
      resumed: Boolean(item.existing),
      processor: options.photos,
      timeoutMs: options.photoTimeoutMs ?? PHOTO_TIMEOUT_MS,
    });
  }
  if (listing.steps.length) info = await Listing.get(actor, hostId, listingId);
  for (const step of listing.steps.slice(taken)) {
    try {
      info = await apply(actor, hostId, info, step);
    } catch (error) {
      throw new Error(
        `Seeding listing ${listing.ref} (${listing.status}, ${listingId}) failed at ${step.action}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (info.status !== listing.status) {
    throw new Error(`Seeded listing ${listing.ref} is ${info.status}, not ${listing.status}`);
  }
  return info;
}

async function apply(actor: Actor, hostId: string, info: Info, step: Step): Promise<Info> {
  const { listingId } = info;
  switch (step.action) {
    case "submit":
      return Listing.submit(actor, hostId, listingId);
    case "approve":
      return Listing.approve(SEED_ADMIN, listingId, step.note ? { note: step.note } : undefined);
    case "reject":
      return Listing.reject(SEED_ADMIN, listingId, { reason: step.reason });
    case "publish":
      return Listing.publish(actor, hostId, listingId);
    case "unpublish":
      return Listing.unpublish(actor, hostId, listingId);
    case "update":
      return Listing.update(actor, hostId, listingId, step.changes, info.version);
    case "archive":
      await Listing.archive(actor, hostId, listingId);
      return Listing.get(actor, hostId, listingId);
  }
}

/**
 * Whether the table holds any listing, for "seed an empty table". One Scan of GSI2 with
 * Limit 1: every listing has a GSI2 key (the status index is not sparse) and hosts have none,
 * so the index is empty exactly when there are no listings, and the Scan reads at most one
 * item (half a read unit) however big the table is. A Query per status would need seven
 * requests for the same answer; a Scan of the table itself would meet the demo hosts first.
 */
export async function hasAnyListing(): Promise<boolean> {
  const { Count = 0, LastEvaluatedKey } = await documentClient().send(
    new ScanCommand({
      TableName: boundTable(),
      IndexName: "GSI2" satisfies keyof typeof TableSchema.globalIndexes,
      Limit: 1,
      Select: "COUNT",
    }),
  );
  return Count > 0 || LastEvaluatedKey !== undefined;
}

/** Seeds only when the table has no listing yet (`pnpm start`); undefined when it had some. */
export async function seedIfEmpty(options: SeedOptions): Promise<SeedResult | undefined> {
  if (await hasAnyListing()) return undefined;
  return seedDemoData(options);
}

/** The table of the runtime in effect, which every read here must use too. */
const boundTable = () => runtime().config.TABLE_NAME;

/**
 * Checks that the runtime's table exists and the credentials may read it (a clear error before
 * any write). Returns the account in the table's ARN for the caller's safety checks; it is
 * not meant to be printed.
 */
export async function describeTable(): Promise<{ table: string; account: string | undefined }> {
  const table = boundTable();
  const { Table } = await dynamoClient().send(new DescribeTableCommand({ TableName: table }));
  return { table, account: Table?.TableArn?.split(":")[4] };
}
