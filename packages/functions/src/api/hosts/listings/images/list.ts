import { Images } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => ({
  body: {
    items: await Images.list(
      await request.actor(),
      request.param("hostId"),
      request.param("listingId"),
    ),
  },
}));
