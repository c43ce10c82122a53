import { Quota } from "@localstays/core";
import { http } from "../../http.js";

export const handler = http(async (request) => ({
  body: await Quota.setLimits(await request.actor(), request.param("hostId"), request.json()),
}));
