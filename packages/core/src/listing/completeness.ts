import type { ListingItem } from "./entity.js";

/**
 * What a listing needs before it can be submitted for review, as named checks so the
 * dashboard can show what is missing: a requirement is a name and a predicate over the
 * stored item plus what the service looked up for it.
 */
export interface SubmitContext {
  item: ListingItem;
}

interface Requirement {
  name: string;
  met(context: SubmitContext): boolean;
}

const REQUIREMENTS: readonly Requirement[] = [
  { name: "listingName", met: ({ item }) => Boolean(item.listingName?.trim()) },
  { name: "description", met: ({ item }) => Boolean(item.description?.trim()) },
  { name: "propertyType", met: ({ item }) => item.propertyType !== undefined },
  { name: "address", met: ({ item }) => item.address !== undefined },
  { name: "capacity", met: ({ item }) => item.capacity !== undefined },
  { name: "pricing", met: ({ item }) => item.pricing !== undefined },
  // Guests decide by photos: at least one processed (READY) photo.
  { name: "photos", met: ({ item }) => (item.photos?.length ?? 0) > 0 },
];

/** The names of the unmet requirements; empty when the listing may be submitted. */
export function missingForSubmit(context: SubmitContext): string[] {
  return REQUIREMENTS.filter((r) => !r.met(context)).map((r) => r.name);
}
