import { Listing } from "@localstays/core";
import { http } from "../http.js";

// Public: no actor. Short caching lets a CDN or the browser absorb repeated searches.
export const handler = http(async (request) => ({
  body: await Listing.search(request.query()),
  headers: { "cache-control": "public, max-age=30" },
}));
