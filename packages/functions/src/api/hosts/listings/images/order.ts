import { Photos } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => ({
  body: {
    items: await Photos.reorder(
      await request.actor(),
      request.param("hostId"),
      request.param("listingId"),
      request.json(),
    ),
  },
}));
