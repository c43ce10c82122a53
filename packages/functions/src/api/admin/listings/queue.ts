import { Listing } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => ({
  body: await Listing.reviewQueue(await request.actor(), request.query()),
}));
