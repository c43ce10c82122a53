import type { Actor, Listing } from "@localstays/core";
import { type ApiRequest, http } from "../../http.js";

/**
 * The version a PATCH expects: the body's `version`, else the `If-Match` header. GET returns
 * the version as a strong ETag ("3"), so both plain and quoted, weak or strong forms are read.
 * Anything else is passed through for core to reject as a validation error.
 */
export function expectedVersion(request: ApiRequest, body: unknown): unknown {
  if (body && typeof body === "object" && "version" in body) {
    return (body as { version: unknown }).version;
  }
  const ifMatch = request.header("if-match")?.trim();
  if (ifMatch === undefined) return undefined;
  return ifMatch.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

/** The body without `version`, which is a precondition, not a field to change. */
export function withoutVersion(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const { version: _version, ...fields } = body as Record<string, unknown>;
  return fields;
}

export const etag = (version: number) => ({ etag: `"${version}"` });

type ListingOperation = (actor: Actor, hostId: string, listingId: string) => Promise<Listing.Info>;

/** A route that runs one operation on one listing and answers with it and its ETag. */
export function listingRoute(operation: ListingOperation) {
  return http(async (request) => {
    const listing = await operation(
      await request.actor(),
      request.param("hostId"),
      request.param("listingId"),
    );
    return { body: listing, headers: etag(listing.version) };
  });
}
