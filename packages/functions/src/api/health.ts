import { config } from "@localstays/core";
import { http } from "./http.js";

export const handler = http(async () => ({
  body: { status: "ok", stage: config().STAGE, time: new Date().toISOString() },
}));
