import type { Status } from "@localstays/core/listing/status";

/** React Query keys: everything of one host's listings sits under `listings(hostId)`. */
export const keys = {
  me: ["me"] as const,
  listings: (hostId: string) => ["listings", hostId] as const,
  listingPages: (hostId: string, status: Status | undefined) =>
    ["listings", hostId, "pages", status ?? "ACTIVE"] as const,
  listing: (hostId: string, listingId: string) => ["listings", hostId, "one", listingId] as const,
  photos: (hostId: string, listingId: string) => ["photos", hostId, listingId] as const,
  reviewQueue: ["review-queue"] as const,
  search: (city: string) => ["search", city] as const,
  stay: (listingId: string) => ["stay", listingId] as const,
};
