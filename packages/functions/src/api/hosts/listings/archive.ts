import { Listing } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => {
  await Listing.archive(await request.actor(), request.param("hostId"), request.param("listingId"));
  return { status: 204 };
});
