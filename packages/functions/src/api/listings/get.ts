import { Listing } from "@localstays/core";
import { http } from "../http.js";

export const handler = http(async (request) => ({
  body: await Listing.getPublic(request.param("listingId")),
  headers: { "cache-control": "public, max-age=60" },
}));
