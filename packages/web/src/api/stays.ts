import type { PublicInfo } from "@localstays/core/listing/schema";
import type { ApiClient, Page } from "./client.js";

/** What guests see: ONLINE listings only, no sign-in. */
export function searchStays(
  api: ApiClient,
  city: string,
  cursor?: string,
): Promise<Page<PublicInfo>> {
  return api.call("GET /api/v1/listings", {}, { query: { city, cursor } });
}

export function getStay(api: ApiClient, listingId: string): Promise<PublicInfo> {
  return api.call("GET /api/v1/listings/{listingId}", { listingId });
}
