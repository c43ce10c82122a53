import { runtime } from "@localstays/core/runtime";
import { http } from "./http.js";

export const handler = http(async () => ({
  body: { status: "ok", stage: runtime().config.STAGE, time: new Date().toISOString() },
}));
