import { Images } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => {
  await Images.remove(
    await request.actor(),
    request.param("hostId"),
    request.param("listingId"),
    request.param("imageId"),
  );
  return { status: 204 };
});
