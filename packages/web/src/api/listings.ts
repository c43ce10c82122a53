import type { CreateInput, Info, UpdateInput } from "@localstays/core/listing/schema";
import type { Status } from "@localstays/core/listing/status";
import type { HostAction } from "../listing/actions.js";
import type { ApiClient, Page } from "./client.js";

/** A host's listings (`/hosts/{hostId}/listings`); admins may use them for any host. */
const base = (hostId: string) => `/hosts/${encodeURIComponent(hostId)}/listings`;
const one = (hostId: string, listingId: string) =>
  `${base(hostId)}/${encodeURIComponent(listingId)}`;

export function listListings(
  api: ApiClient,
  hostId: string,
  query: { status?: Status | undefined; cursor?: string | undefined },
): Promise<Page<Info>> {
  return api.request(base(hostId), { query });
}

export function getListing(api: ApiClient, hostId: string, listingId: string): Promise<Info> {
  return api.request(one(hostId, listingId));
}

export function createListing(api: ApiClient, hostId: string, input: CreateInput): Promise<Info> {
  return api.request(base(hostId), { method: "POST", body: input });
}

/** A PATCH of the version the host edited; a stale one is a 409 VERSION_CONFLICT. */
export function updateListing(
  api: ApiClient,
  hostId: string,
  listingId: string,
  version: number,
  changes: UpdateInput,
): Promise<Info> {
  return api.request(one(hostId, listingId), {
    method: "PATCH",
    body: changes,
    headers: { "if-match": `"${version}"` },
  });
}

/** Runs a status action; archive answers 204, the others the listing. */
export async function runAction(
  api: ApiClient,
  hostId: string,
  listingId: string,
  action: HostAction,
): Promise<void> {
  const path = one(hostId, listingId);
  switch (action) {
    case "submit":
      await api.request(`${path}/submit`, { method: "POST" });
      return;
    case "publish":
    case "unpublish":
      await api.request(`${path}/${action}`, { method: "PUT" });
      return;
    case "archive":
      await api.request(path, { method: "DELETE" });
      return;
  }
}
