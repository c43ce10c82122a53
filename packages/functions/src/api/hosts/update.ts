import { Host } from "@localstays/core";
import { http } from "../http.js";

export const handler = http(async (request) => ({
  body: await Host.update(await request.actor(), request.param("hostId"), request.json()),
}));
