/**
 * `pnpm bench:api [--duration 10] [--warmup 2] [--connections 200] [--raw-limit 21]
 *                 [--no-sdk] [--json]`
 *
 * Public API reads through the local gateway against the same DynamoDB operation sent raw to
 * the same DynamoDB Local, at the same concurrency, for the same time, in one process run:
 *
 *   GET /api/v1/listings/{listingId}          vs  GetItem of that listing's key
 *   GET /api/v1/listings?city=zurich&limit=20 vs  Query on GSI4 with the API's key condition
 *                                                 and Limit
 *
 * It starts its own local stack (data directory under the OS temp dir, free ports, so it never
 * touches a running `pnpm start`), seeds 300 ONLINE listings in five cities (100 in Zürich) through the
 * core services, measures, prints a table, the gateway/raw ratios and the consumed capacity
 * of every DynamoDB call per operation, and stops the stack (no Java or cognito-local left).
 *
 * How each side is measured:
 *
 * - api: autocannon (closed loop, `--connections` keep-alive connections, one request in
 *   flight on each) against the gateway, which runs the real Lambda handlers in this process
 *   (the route table, the payload 2.0 event, http(), core, ElectroDB, the SDK client).
 * - raw: the SAME autocannon configuration against DynamoDB Local's HTTP endpoint, sending
 *   the exact request the SDK sends for the operation: the bench sends the command once
 *   through core's client and captures the signed HTTP request (method, headers, JSON body)
 *   after the signing step, then autocannon replays those bytes. The replay reuses one
 *   signature for the whole run, which AWS would accept for 15 minutes; DynamoDB Local does
 *   not verify signatures at all (checked: a request with a corrupted signature is served),
 *   so nothing depends on that. One load generator, one histogram implementation (HDR,
 *   1 ms resolution) and the same req/s formula on both sides, so the ratio compares the
 *   servers, not two measuring tools. This is the floor: what DynamoDB Local itself costs.
 * - sdk (extra, `--no-sdk` skips it): `--connections` async loops in this process, each
 *   sending the same command through core's own DocumentClient (the client the handlers
 *   use) and awaiting it; latencies are recorded per call and percentiles computed exactly
 *   from the sorted samples (sub-millisecond resolution). It splits the api/raw gap into
 *   "SDK client" and "gateway + handler + ElectroDB".
 *
 * autocannon runs in a worker thread (`workers: 1`), so on the api side the load generator
 * does not share the event loop with the gateway and the handlers it measures; on the raw
 * side it is the same. Each scenario gets `--warmup` seconds of the same load first
 * (discarded). autocannon drops the requests in flight at its deadline while the server
 * still works through them, so after every autocannon run the bench waits about as long as
 * the server needs for that many (Little's law: 1.5 × connections ÷ req/s); the sdk loops
 * wait for their own. Requests completing after the deadline count on neither side.
 *
 * The search's Limit: the API's paging (packages/core/src/paging.ts) asks DynamoDB for the
 * page size plus one (21) when the query has no FilterExpression, as this one (a city, no
 * guest or price filter) has; the extra item tells whether another page follows. (A filtered
 * search would ask for at least 50 per round.) The raw and sdk Query send the same Limit by
 * default, so all three sides ask DynamoDB for the same work. The capacity section prints
 * the Limit the API really sent and, should it differ from `--raw-limit`, adds the raw Query
 * with the API's Limit; `--raw-limit 20` measures a bare one-page Query instead.
 *
 * The SDK client keeps at most 50 sockets (smithy's default agent), so on the api and sdk
 * sides DynamoDB Local sees at most 50 requests at once and the rest wait inside the client
 * (smithy may log "socket usage at capacity=50"); the raw side has all of them on the wire.
 * At these loads that does not cap throughput (the CPUs do: `--connections 50` gives the
 * same req/s), it moves the waiting into the client. In AWS each Lambda instance serves one
 * request at a time, so this sharing is a property of the local gateway only.
 *
 * Consumed capacity: a middleware on core's `dynamoClient()` (the one client of the process,
 * so the handlers' calls go through it too) sets `ReturnConsumedCapacity: "TOTAL"` on every
 * command and records what DynamoDB Local reports; it is attached only while one request of
 * each kind runs, never during the timed runs. The raw side's capacity is asked for with the
 * same field in the replayed body.
 *
 * The numbers are those of one machine with the load generator, the gateway and DynamoDB
 * Local on the same CPUs: compare ratios within a run, not absolute figures across machines.
 */

import { configure } from "../packages/core/src/runtime.js";
import { measureCapacity } from "./api/capacity.js";
import { loadCore } from "./api/core.js";
import { seedListings } from "./api/dataset.js";
import { apiReport } from "./api/report.js";
import { API_QUERY_LIMIT, OPERATIONS, PAGE, prepareRequests } from "./api/requests.js";
import { planScenarios, type Side } from "./api/scenarios.js";
import { benchArgs, runBench } from "./lib/args.js";
import { acceptsBadSignature } from "./lib/dynamo-wire.js";
import { withLocalStack } from "./lib/local-stack.js";
import { runScenarios } from "./lib/scenarios.js";

// ---- Options ----

const USAGE = `Usage: pnpm bench:api [--duration SECONDS] [--warmup SECONDS] [--connections N]
                     [--raw-limit N] [--no-sdk] [--json]
  --duration     seconds measured per scenario (default 10)
  --warmup       seconds of the same load before each, discarded (default 2)
  --connections  requests in flight on every side (default 200)
  --raw-limit    Limit of the raw and sdk Query (default ${API_QUERY_LIMIT}, what the API sends: page size ${PAGE} + 1)
  --no-sdk       skip the in-process SDK scenarios
  --json         print the results as JSON (progress still goes to stderr)`;

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  rawLimit: number;
  sdk: boolean;
  json: boolean;
}

function parseOptions(): Options {
  const { values, number } = benchArgs(USAGE, {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "200" },
    "raw-limit": { type: "string" },
    "no-sdk": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  });
  return {
    duration: number("duration", values.duration, { min: 1, whole: false }),
    warmup: number("warmup", values.warmup, { min: 0, whole: false }),
    connections: number("connections", values.connections, { min: 1 }),
    rawLimit: number("raw-limit", values["raw-limit"] ?? String(API_QUERY_LIMIT), { min: 1 }),
    sdk: !values["no-sdk"],
    json: values.json,
  };
}

// ---- The run ----

async function main() {
  const options = parseOptions();
  // The handlers' own INFO logs (one per demo user) would drown the table.
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  await withLocalStack("localstays-bench", async (stack) => {
    // The bench's own core calls (seeding, the SDK side) reach the stack's table.
    configure(stack.runtime);
    const { result, text } = await bench(stack.outputs.ApiUrl, options);
    console.log(options.json ? JSON.stringify(result, null, 2) : text);
  });
}

async function bench(apiUrl: string, options: Options) {
  const loaded = loadCore();
  await seedListings(loaded);
  const requests = await prepareRequests(loaded, apiUrl, options.rawLimit);
  const signatureIgnored = await acceptsBadSignature(requests.raw.get);
  const capacity = await measureCapacity(loaded.core.dynamoClient(), requests, options.rawLimit);
  const sides: Side[] = options.sdk ? ["api", "sdk", "raw"] : ["api", "raw"];
  const plan = planScenarios(requests, sides, options.connections);
  const scenarios = await runScenarios(plan, options, OPERATIONS);
  return apiReport({
    settings: options,
    listingId: requests.listingId,
    signatureIgnored,
    scenarios,
    capacity,
  });
}

runBench(main);
