import { Images } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => ({
  body: {
    items: await Images.reorder(
      await request.actor(),
      request.param("hostId"),
      request.param("listingId"),
      request.json(),
    ),
  },
}));
