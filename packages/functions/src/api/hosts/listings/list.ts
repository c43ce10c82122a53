import { Listing } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => ({
  body: await Listing.list(await request.actor(), request.param("hostId"), request.query()),
}));
