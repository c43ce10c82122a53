import { Listing } from "@localstays/core";
import { http } from "../../http.js";
import { etag } from "./listing-route.js";

export const handler = http(async (request) => {
  const hostId = request.param("hostId");
  const listing = await Listing.create(await request.actor(), hostId, request.json());
  return {
    status: 201,
    body: listing,
    headers: {
      location: `/api/v1/hosts/${hostId}/listings/${listing.listingId}`,
      ...etag(listing.version),
    },
  };
});
