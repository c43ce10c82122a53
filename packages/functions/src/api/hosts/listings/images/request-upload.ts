import { Photos } from "@localstays/core";
import { http } from "../../../http.js";

export const handler = http(async (request) => {
  const hostId = request.param("hostId");
  const listingId = request.param("listingId");
  const ticket = await Photos.requestUpload(
    await request.actor(),
    hostId,
    listingId,
    request.json(),
  );
  return {
    status: 201,
    body: ticket,
    headers: { location: `/api/v1/hosts/${hostId}/listings/${listingId}/images` },
  };
});
