import { Host } from "@localstays/core";
import { http } from "./http.js";

export const handler = http(async (request) => ({ body: await Host.me(await request.actor()) }));
