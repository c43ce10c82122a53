import type { AMENITIES, PROPERTY_TYPES } from "@localstays/core/listing/schema";
import type { Status } from "@localstays/core/listing/status";

export type Amenity = (typeof AMENITIES)[number];
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Words for what the API names in code: statuses, fields, amenities, missing requirements. */
export const STATUS_LABELS: Record<Status, string> = {
  DRAFT: "Draft",
  IN_REVIEW: "In review",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  ONLINE: "Online",
  OFFLINE: "Offline",
  ARCHIVED: "Archived",
};

/** Form labels by API field path; also how error messages name a field. */
export const FIELD_LABELS: Record<string, string> = {
  listingName: "Title",
  description: "Description",
  propertyType: "Property type",
  address: "Address",
  "address.street": "Street",
  "address.city": "City",
  "address.postcode": "Postcode",
  "address.country": "Country code",
  capacity: "Capacity",
  "capacity.guests": "Guests",
  "capacity.bedrooms": "Bedrooms",
  "capacity.beds": "Beds",
  "capacity.bathrooms": "Bathrooms",
  amenities: "Amenities",
  pricing: "Price",
  "pricing.nightlyPrice": "Nightly price",
  "pricing.currency": "Currency",
  "pricing.cleaningFee": "Cleaning fee",
  checkInTime: "Check-in from",
  checkOutTime: "Check-out by",
  houseRules: "House rules",
  photos: "Photos",
  version: "Version",
  reason: "Reason",
  city: "City",
  contentType: "Photo type",
  contentLength: "Photo size",
  caption: "Caption",
};

export function fieldLabel(path: string): string {
  return FIELD_LABELS[path] ?? path;
}

/** `missingForSubmit` names, as the end of "Still needed: ...". */
const REQUIREMENT_LABELS: Record<string, string> = {
  listingName: "a title",
  description: "a description",
  propertyType: "a property type",
  address: "the address",
  capacity: "the capacity",
  pricing: "a nightly price",
  photos: "at least one processed photo",
};

export function describeMissing(missing: readonly string[]): string {
  return missing.map((name) => REQUIREMENT_LABELS[name] ?? fieldLabel(name)).join(", ");
}

export const PROPERTY_TYPE_LABELS: Record<PropertyType, string> = {
  apartment: "Apartment",
  house: "House",
  room: "Room",
  villa: "Villa",
  cabin: "Cabin",
  other: "Other",
};

const AMENITY_NAMES: Partial<Record<Amenity, string>> = {
  wifi: "Wi-Fi",
  tv: "TV",
  ev_charger: "EV charger",
  bbq_grill: "BBQ grill",
};

/** "air_conditioning" -> "Air conditioning". */
export function amenityLabel(amenity: Amenity): string {
  const name = AMENITY_NAMES[amenity];
  if (name) return name;
  const words = amenity.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
