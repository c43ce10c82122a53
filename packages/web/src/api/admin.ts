import type { Info } from "@localstays/core/listing/schema";
import type { ApiClient, Page } from "./client.js";

/** The review queue: listings IN_REVIEW, the longest waiting first (admins only). */
export function reviewQueue(api: ApiClient, cursor?: string): Promise<Page<Info>> {
  return api.call("GET /api/v1/admin/listings", {}, { query: { status: "IN_REVIEW", cursor } });
}

/**
 * Approves the listing as the admin saw it: `photosRev` is the photo-set revision of the
 * listing on screen, and a changed photo set is refused (409 PHOTOS_CHANGED).
 */
export function approveListing(
  api: ApiClient,
  listing: Pick<Info, "listingId" | "photosRev">,
): Promise<Info> {
  return api.call(
    "POST /api/v1/admin/listings/{listingId}/approve",
    { listingId: listing.listingId },
    { body: { photosRev: listing.photosRev } },
  );
}

export function rejectListing(api: ApiClient, listingId: string, reason: string): Promise<Info> {
  return api.call(
    "POST /api/v1/admin/listings/{listingId}/reject",
    { listingId },
    { body: { reason } },
  );
}
