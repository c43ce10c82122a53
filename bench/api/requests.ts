import type { HttpTarget } from "../lib/autocannon.js";
import { captureWire } from "../lib/dynamo-wire.js";
import type { LoadedCore } from "./core.js";
import { TARGET } from "./dataset.js";

/** The search's page size. */
export const PAGE = 20;
/**
 * The Limit core's paging (packages/core/src/paging.ts) sends for one page of a Query without
 * a FilterExpression, such as this search: the page and one more item, which tells whether
 * another page follows. (A filtered Query would ask for at least 50 per round.)
 */
export const API_QUERY_LIMIT = PAGE + 1;
export const SEARCH_PATH = `/api/v1/listings?city=${TARGET.key}&limit=${PAGE}`;
export const GET_PATH = "/api/v1/listings/{listingId}";

export const OPERATIONS = {
  get: "GET listing",
  search: `search ${TARGET.key}`,
} as const;
export type Operation = keyof typeof OPERATIONS;

/** Each operation as each side sends it. */
export interface ApiRequests {
  /** The listing the GET asks for: the search's first. */
  listingId: string;
  /** Through the local gateway. */
  api: Record<Operation, HttpTarget>;
  /** The same DynamoDB operation through core's DocumentClient, in this process. */
  sdk: Record<Operation, () => Promise<unknown>>;
  /** The signed HTTP request the SDK sends for it, for replay against DynamoDB Local. */
  raw: Record<Operation, HttpTarget>;
  /** The search's raw Query captured with another Limit. */
  captureQuery(limit: number): Promise<HttpTarget>;
}

/**
 * Sends the two API requests once (they must answer 200, the search with a full page), builds
 * the DynamoDB operations behind them from core's entity (GetItem of the listing's key; the
 * search's Query on GSI4 with `rawLimit`) and captures what the SDK puts on the wire for each.
 */
export async function prepareRequests(
  { core, listingEntity, GetCommand, QueryCommand }: LoadedCore,
  apiUrl: string,
  rawLimit: number,
): Promise<ApiRequests> {
  const client = core.dynamoClient();
  const documents = core.documentClient();

  // 127.0.0.1, not localhost: the gateway listens on IPv4 loopback only.
  const api = apiUrl.replace("//localhost", "//127.0.0.1");
  const searchUrl = `${api}${SEARCH_PATH}`;
  const searchResponse = await fetch(searchUrl);
  const page = (await searchResponse.json()) as {
    items?: { listingId: string }[];
    nextCursor?: string | null;
  };
  const listingId = page.items?.[0]?.listingId;
  if (searchResponse.status !== 200 || page.items?.length !== PAGE || !listingId) {
    throw new Error(`Search answered ${searchResponse.status}: ${JSON.stringify(page)}`);
  }
  const getUrl = `${api}${GET_PATH.replace("{listingId}", listingId)}`;
  const getResponse = await fetch(getUrl);
  if (getResponse.status !== 200) {
    throw new Error(`GET listing answered ${getResponse.status}: ${await getResponse.text()}`);
  }

  const getParams = listingEntity().get({ listingId }).params() as Record<string, unknown>;
  const queryParams = listingEntity()
    .query.byCity({ cityKey: TARGET.key })
    .params({ order: "desc" }) as Record<string, unknown>;
  const sdkGet = () => documents.send(new GetCommand(getParams as never));
  const sdkQueryWith = (limit: number) => {
    const params = { ...queryParams, Limit: limit };
    return () => documents.send(new QueryCommand(params as never));
  };
  const sdkQuery = sdkQueryWith(rawLimit);

  const rawGet = await captureWire(client, sdkGet);
  const rawQuery = await captureWire(client, sdkQuery);
  return {
    listingId,
    api: { get: { url: getUrl, method: "GET" }, search: { url: searchUrl, method: "GET" } },
    sdk: { get: sdkGet, search: sdkQuery },
    raw: { get: rawGet, search: rawQuery },
    captureQuery: (limit) => captureWire(client, sdkQueryWith(limit)),
  };
}
