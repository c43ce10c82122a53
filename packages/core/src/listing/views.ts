import type { Page } from "../paging.js";
import { toPhotos } from "../photo/urls.js";
import { missingForSubmit } from "./completeness.js";
import { type ListingItem, listingEntity } from "./entity.js";
import type { Info, PublicInfo } from "./schema.js";

/**
 * What callers see of a listing item: the host's and admin's view (`Info`), the guests'
 * (`PublicInfo`), and a page of raw items as either.
 */
export function toInfo(item: ListingItem): Info {
  const { review } = item;
  return {
    listingId: item.listingId,
    hostId: item.hostId,
    listingName: item.listingName ?? "",
    description: item.description,
    propertyType: item.propertyType,
    address: item.address,
    capacity: item.capacity,
    amenities: item.amenities ?? [],
    pricing: item.pricing,
    checkInTime: item.checkInTime,
    checkOutTime: item.checkOutTime,
    houseRules: item.houseRules,
    status: item.status,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    submittedAt: item.submittedAt,
    publishedAt: item.publishedAt,
    review: review && {
      decision: review.decision,
      reason: review.reason,
      note: review.note,
      reviewedAt: review.reviewedAt,
    },
    photos: toPhotos(item),
    photosRev: item.photosRev ?? 0,
    missingForSubmit: missingForSubmit({ item }),
  } as Info;
}

/** About a kilometre: enough to show the area on a map, not the house. */
const roughly = (degrees: number | undefined) =>
  degrees === undefined ? undefined : Math.round(degrees * 100) / 100;

export function toPublic(item: ListingItem): PublicInfo {
  const { address, capacity, pricing, propertyType } = item;
  if (!address || !capacity || !pricing || !propertyType) {
    // Only complete listings pass review, and only reviewed ones go online.
    throw new Error(`Listing ${item.listingId} is ${item.status} but incomplete`);
  }
  return {
    listingId: item.listingId,
    listingName: item.listingName ?? "",
    description: item.description ?? "",
    propertyType,
    location: {
      city: address.city,
      country: address.country,
      lat: roughly(address.lat),
      lng: roughly(address.lng),
    },
    capacity,
    amenities: item.amenities ?? [],
    pricing,
    checkInTime: item.checkInTime,
    checkOutTime: item.checkOutTime,
    houseRules: item.houseRules,
    publishedAt: item.publishedAt,
    photos: toPhotos(item),
  } as PublicInfo;
}

export function parsePage<T>(
  page: Page<Record<string, unknown>>,
  map: (item: ListingItem) => T,
): Page<T> {
  const { data } = listingEntity().parse({ Items: page.items });
  return { ...page, items: data.map(map) };
}
