import type { CreateInput, Info, UpdateInput } from "@localstays/core/listing/schema";
import type { Status } from "@localstays/core/listing/status";
import type { HostAction } from "../listing/actions.js";
import type { ApiClient, Page } from "./client.js";

/** A host's listings (`/hosts/{hostId}/listings`); admins may use them for any host. */
const LISTINGS = "/api/v1/hosts/{hostId}/listings";
const ONE = `${LISTINGS}/{listingId}` as const;

export function listListings(
  api: ApiClient,
  hostId: string,
  query: { status?: Status | undefined; cursor?: string | undefined },
): Promise<Page<Info>> {
  return api.call(`GET ${LISTINGS}`, { hostId }, { query });
}

export function getListing(api: ApiClient, hostId: string, listingId: string): Promise<Info> {
  return api.call(`GET ${ONE}`, { hostId, listingId });
}

export function createListing(api: ApiClient, hostId: string, input: CreateInput): Promise<Info> {
  return api.call(`POST ${LISTINGS}`, { hostId }, { body: input });
}

/** A PATCH of the version the host edited; a stale one is a 409 VERSION_CONFLICT. */
export function updateListing(
  api: ApiClient,
  hostId: string,
  listingId: string,
  version: number,
  changes: UpdateInput,
): Promise<Info> {
  return api.call(
    `PATCH ${ONE}`,
    { hostId, listingId },
    {
      body: changes,
      headers: { "if-match": `"${version}"` },
    },
  );
}

/** Runs a status action; archive answers 204, the others the listing. */
export async function runAction(
  api: ApiClient,
  hostId: string,
  listingId: string,
  action: HostAction,
): Promise<void> {
  const params = { hostId, listingId };
  switch (action) {
    case "submit":
      await api.call(`POST ${ONE}/submit`, params);
      return;
    case "publish":
      await api.call(`PUT ${ONE}/publish`, params);
      return;
    case "unpublish":
      await api.call(`PUT ${ONE}/unpublish`, params);
      return;
    case "archive":
      await api.call(`DELETE ${ONE}`, params);
      return;
  }
}
