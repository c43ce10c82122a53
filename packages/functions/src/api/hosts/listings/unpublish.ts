import { Listing } from "@localstays/core";
import { http } from "../../http.js";
import { etag } from "./version.js";

export const handler = http(async (request) => {
  const listing = await Listing.unpublish(
    await request.actor(),
    request.param("hostId"),
    request.param("listingId"),
  );
  return { body: listing, headers: etag(listing.version) };
});
