import { Photos } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => {
  await Photos.remove(
    await request.actor(),
    request.param("hostId"),
    request.param("listingId"),
    request.param("imageId"),
  );
  return { status: 204 };
});
