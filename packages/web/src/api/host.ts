import type { ApiClient } from "./client.js";

/** The caller's host record (created by the sign-up's confirmation). */
export interface Host {
  hostId: string;
  email: string;
  displayName: string;
}

export function getMe(api: ApiClient): Promise<Host> {
  return api.call("GET /api/v1/me", {});
}
