import { Listing } from "@localstays/core";
import { http } from "../../http.js";
import { etag, expectedVersion, withoutVersion } from "./listing-route.js";

export const handler = http(async (request) => {
  const body = request.json();
  const listing = await Listing.update(
    await request.actor(),
    request.param("hostId"),
    request.param("listingId"),
    withoutVersion(body),
    expectedVersion(request, body),
  );
  return { body: listing, headers: etag(listing.version) };
});
