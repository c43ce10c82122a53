import { type CapacityRow, capacityTable } from "../lib/consumed-capacity.js";
import { fixed } from "../lib/format.js";
import { ratioLines, ratiosOf, scenarioTable } from "../lib/report.js";
import type { Scenario } from "../lib/scenarios.js";
import { datasetSummary, LISTINGS, TARGET } from "./dataset.js";
import { OPERATIONS, type Operation, PAGE } from "./requests.js";
import type { Side } from "./scenarios.js";

export interface ApiBenchResults {
  settings: {
    duration: number;
    warmup: number;
    connections: number;
    rawLimit: number;
    sdk: boolean;
  };
  listingId: string;
  signatureIgnored: boolean;
  scenarios: Scenario<Operation, Side>[];
  capacity: CapacityRow[];
}

/** The report as text (table, ratios, capacity, summary) and as JSON (`result`). */
export function apiReport({
  settings,
  listingId,
  signatureIgnored,
  scenarios,
  capacity,
}: ApiBenchResults) {
  const { duration, warmup, connections, rawLimit, sdk } = settings;
  const ratios = ratiosOf(scenarios, "api", ["raw", "sdk"]);
  const summary = ratios
    .filter((r) => r.versus === "raw")
    .map(
      (r) =>
        `${OPERATIONS[r.operation]}: gateway ${fixed(r.reqPerSec, 2)}× raw req/s, p50 ${fixed(r.p50, 1)}×, p99 ${fixed(r.p99, 1)}×`,
    )
    .join("; ");
  const text = [
    "",
    `Localstays API bench: ${connections} connections, ${duration} s per scenario after ${warmup} s warm-up, ${LISTINGS} ONLINE listings (${TARGET.count} in ${TARGET.city}), page size ${PAGE}, raw/sdk Query Limit ${rawLimit}`,
    "",
    scenarioTable(scenarios, OPERATIONS),
    "errors: connection errors (t/o: no answer within autocannon's 10 s) + non-2xx answers; sdk: rejected sends",
    "",
    "Ratios (api ÷ other; req/s below 1 and latency above 1 mean the API is slower):",
    ...ratioLines(ratios, "api", OPERATIONS),
    "",
    "Consumed capacity per operation (ReturnConsumedCapacity=TOTAL, one request each; DynamoDB Local's figures):",
    capacityTable(capacity),
    "",
    `DynamoDB Local ${signatureIgnored ? "accepts" : "refuses"} a request with a corrupted signature (the raw replay re-sends the SDK's own signed bytes, so it does not depend on this).`,
    "",
    `Summary: ${summary}`,
  ].join("\n");

  const result = {
    options: { duration, warmup, connections, pageSize: PAGE, rawQueryLimit: rawLimit, sdk },
    dataset: datasetSummary(listingId),
    dynamoDbLocalIgnoresSignatures: signatureIgnored,
    scenarios,
    ratios,
    capacity,
    summary,
  };
  return { result, text };
}
