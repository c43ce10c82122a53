import { Listing } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => ({
  body: await Listing.reject(await request.actor(), request.param("listingId"), request.json()),
}));
