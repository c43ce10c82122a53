import { monotonicFactory } from "ulid";
import * as z from "zod";

const ulid = monotonicFactory();

/** Prefixed, sortable ids (`host_01J...`), as the seed's paths show. */
export function newId<P extends string>(prefix: P): `${P}_${string}` {
  return `${prefix}_${ulid()}`;
}

export function idPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`);
}

export const HostId = z.string().regex(idPattern("host"), "must be a host id (host_<ULID>)");
export const ListingId = z.string().regex(idPattern("listing"), "must be a listing id");
export const PhotoId = z.string().regex(idPattern("image"), "must be an image id");
