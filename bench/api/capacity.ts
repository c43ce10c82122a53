import {
  type CapacityRow,
  capacityRecorder,
  capacityRow,
  wireCapacity,
} from "../lib/consumed-capacity.js";
import type { CoreClient } from "../lib/dynamo-wire.js";
import { type ApiRequests, GET_PATH, SEARCH_PATH } from "./requests.js";

async function fetchOk(url: string): Promise<void> {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
}

/**
 * The capacity of every DynamoDB call behind one request of each kind: the API's (recorded by
 * a middleware on core's client, the handlers' too), then the raw replays'. When the API's
 * search sent another Limit than the raw Query, the raw Query with the API's Limit as well.
 */
export async function measureCapacity(
  client: CoreClient,
  requests: ApiRequests,
  rawLimit: number,
): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  const recorder = capacityRecorder(client);
  let apiSearch: CapacityRow;
  try {
    rows.push(
      capacityRow(
        `api GET ${GET_PATH}`,
        await recorder.during(() => fetchOk(requests.api.get.url)),
      ),
    );
    apiSearch = capacityRow(
      `api GET ${SEARCH_PATH}`,
      await recorder.during(() => fetchOk(requests.api.search.url)),
    );
    rows.push(apiSearch);
  } finally {
    recorder.remove();
  }
  rows.push(capacityRow("raw GetItem", [await wireCapacity("GetItem", requests.raw.get)]));
  rows.push(
    capacityRow(`raw Query GSI4 (Limit=${rawLimit})`, [
      await wireCapacity("Query", requests.raw.search),
    ]),
  );
  const apiLimit = apiSearch.calls.find((c) => c.command === "QueryCommand")?.limit;
  if (apiLimit !== undefined && apiLimit !== rawLimit) {
    const asApi = await requests.captureQuery(apiLimit);
    rows.push(
      capacityRow(`raw Query GSI4 (Limit=${apiLimit}, as the API sends)`, [
        await wireCapacity("Query", asApi),
      ]),
    );
  }
  return rows;
}
