import { Listing } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => ({
  body: await Listing.approveReviewed(
    await request.actor(),
    request.param("listingId"),
    request.json(),
  ),
}));
