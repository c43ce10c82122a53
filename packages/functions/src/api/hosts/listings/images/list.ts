import { Photos } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => ({
  body: {
    items: await Photos.list(
      await request.actor(),
      request.param("hostId"),
      request.param("listingId"),
    ),
  },
}));
