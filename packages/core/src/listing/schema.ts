import { getCodes as countryCodes } from "country-list";
import * as z from "zod";
import { HostId, ListingId } from "../ids.js";
import { Photo } from "../photo/schema.js";
import { line, required, text } from "../text.js";
import { cityKey } from "./city.js";
import { STATUSES } from "./status.js";

/**
 * The listing's shapes, shared by core, the handlers and the dashboard: what a client may
 * send (CreateInput, UpdateInput, the query strings) and what it gets back (Info for the
 * owner and admins, PublicInfo for guests). It imports no entity (and so no runtime config),
 * so the dashboard and the seed generator can import it anywhere.
 */
export { ListingId };
export const Status = z.enum(STATUSES);

export const PROPERTY_TYPES = ["apartment", "house", "room", "villa", "cabin", "other"] as const;
export const PropertyType = z.enum(PROPERTY_TYPES);

/** A fixed vocabulary, so search filters and translations have something stable to key on. */
export const AMENITIES = [
  "wifi",
  "kitchen",
  "washer",
  "dryer",
  "air_conditioning",
  "heating",
  "workspace",
  "tv",
  "free_parking",
  "paid_parking",
  "ev_charger",
  "pool",
  "hot_tub",
  "gym",
  "bbq_grill",
  "balcony",
  "garden",
  "sea_view",
  "elevator",
  "wheelchair_accessible",
  "crib",
  "pets_allowed",
  "self_check_in",
  "smoke_alarm",
  "carbon_monoxide_alarm",
  "first_aid_kit",
  "fire_extinguisher",
] as const;
export const Amenity = z.enum(AMENITIES);

const COUNTRIES = new Set(countryCodes());
// ICU's list: current ISO-4217 codes only, so "XXX" or a withdrawn code is refused.
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const Address = z.strictObject({
  street: required(line(200)),
  // Search matches the normalised city, so it must have something left to match.
  city: required(line(100)).refine((v) => /[\p{L}\p{N}]/u.test(cityKey(v)), "must contain letters"),
  postcode: required(line(20)),
  country: z
    .string()
    .transform((v) => v.toUpperCase())
    .refine((v) => COUNTRIES.has(v), "must be an ISO 3166-1 alpha-2 country code, e.g. CH"),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});
export type Address = z.infer<typeof Address>;

const count = (min: number, max: number) =>
  z
    .number()
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
export const Capacity = z.strictObject({
  guests: count(1, 50),
  bedrooms: count(0, 50),
  beds: count(1, 100),
  // Half bathrooms (a toilet and a basin) are a thing hosts list.
  bathrooms: z.number().min(0).max(50).multipleOf(0.5),
});
export type Capacity = z.infer<typeof Capacity>;

/**
 * Prices in minor units (cents, Rappen): integers, so no rounding ever happens. The ceiling is
 * a sanity bound, high enough for any currency (ARS 10 million a night) and far below 2^53.
 */
export const MAX_MINOR_UNITS = 1_000_000_000;
export const Pricing = z.strictObject({
  nightlyPrice: count(1, MAX_MINOR_UNITS),
  currency: z
    .string()
    .transform((v) => v.toUpperCase())
    .refine((v) => CURRENCIES.has(v), "must be an ISO 4217 currency code, e.g. CHF"),
  cleaningFee: count(0, MAX_MINOR_UNITS).optional(),
});
export type Pricing = z.infer<typeof Pricing>;

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM (24 h)");

/** Every field a host can write. A fresh draft may have none of them. */
const fields = {
  listingName: line(100),
  description: text(5000),
  propertyType: PropertyType,
  address: Address,
  capacity: Capacity,
  amenities: z
    .array(Amenity)
    .max(AMENITIES.length)
    .transform((list) => [...new Set(list)]),
  pricing: Pricing,
  checkInTime: Time,
  checkOutTime: Time,
  houseRules: text(2000),
};
export type Field = keyof typeof fields;

/**
 * What the admin reviews. Changing one of these on a listing that passed review sends it
 * back to review; the other fields (price, times) change without one.
 */
export const CONTENT_FIELDS = [
  "listingName",
  "description",
  "propertyType",
  "address",
  "capacity",
  "amenities",
  "houseRules",
] as const satisfies readonly Field[];

export const CreateInput = z.strictObject(fields).partial();
export type CreateInput = z.infer<typeof CreateInput>;

/**
 * A PATCH: any subset of the fields; `null` clears an optional one. Nested objects (address,
 * capacity, pricing) are replaced as a whole, so a listing never holds half an address.
 */
export const UpdateInput = z
  .strictObject(
    Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, s.nullable()])) as {
      [K in Field]: z.ZodNullable<(typeof fields)[K]>;
    },
  )
  .partial()
  .refine((input) => Object.keys(input).length > 0, "must change at least one field");
export type UpdateInput = z.infer<typeof UpdateInput>;

/** The expected version of a PATCH: from the body's `version` or an `If-Match` header. */
export const Version = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,15}$/, "must be a version number")
      .transform(Number),
  ])
  .pipe(z.number().int("must be a version number").min(1, "must be a version number"));

export const Review = z.object({
  decision: z.enum(["APPROVED", "REJECTED"]),
  reason: z.string().optional(),
  note: z.string().optional(),
  reviewedAt: z.iso.datetime(),
});
export type Review = z.infer<typeof Review>;

export const RejectInput = z.strictObject({ reason: required(text(1000)) });
/**
 * `photosRev`: the photo-set revision the admin reviewed (`Info.photosRev`). The approval is
 * conditional on it, so photos added or processed meanwhile are never approved unseen. An
 * admin's request must name it (`ApproveRequest`, the API's body); only operator tools in
 * core's callers (seed, bench) approve what is current without it.
 */
const PhotosRev = z.number().int("must be a whole number").min(0);
export const ApproveInput = z
  .strictObject({ note: text(1000).optional(), photosRev: PhotosRev.optional() })
  .optional();
export const ApproveRequest = z.strictObject({
  note: text(1000).optional(),
  photosRev: PhotosRev,
});

/** What the owner and admins see. */
export const Info = z.object({
  listingId: ListingId,
  hostId: HostId,
  listingName: z.string(),
  description: z.string().optional(),
  propertyType: PropertyType.optional(),
  address: Address.optional(),
  capacity: Capacity.optional(),
  amenities: z.array(Amenity),
  pricing: Pricing.optional(),
  checkInTime: Time.optional(),
  checkOutTime: Time.optional(),
  houseRules: z.string().optional(),
  status: Status,
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().optional(),
  publishedAt: z.iso.datetime().optional(),
  review: Review.optional(),
  /** READY photos, cover first (all photos in any status: `GET .../images`). */
  photos: z.array(Photo),
  /** The photo set's revision: grows with every change to the listing's photos. */
  photosRev: z.number().int(),
  /** What the listing is still missing before it can be submitted. */
  missingForSubmit: z.array(z.string()),
});
export type Info = z.infer<typeof Info>;

/**
 * What guests see: no host id or email, no street or postcode, coordinates rounded to about
 * a kilometre, no review or version data.
 */
export const PublicInfo = z.object({
  listingId: ListingId,
  listingName: z.string(),
  description: z.string(),
  propertyType: PropertyType,
  location: z.object({
    city: z.string(),
    country: z.string(),
    lat: z.number().optional(),
    lng: z.number().optional(),
  }),
  capacity: Capacity,
  amenities: z.array(Amenity),
  pricing: Pricing,
  checkInTime: Time.optional(),
  checkOutTime: Time.optional(),
  houseRules: z.string().optional(),
  publishedAt: z.iso.datetime().optional(),
  /** Cover first; each with its variants' URLs and a placeholder to paint meanwhile. */
  photos: z.array(Photo),
});
export type PublicInfo = z.infer<typeof PublicInfo>;

const MAX_PAGE = 100;
const Limit = z.coerce.number().int().min(1).max(MAX_PAGE).default(20);
const Cursor = z.string().min(1).max(2048).optional();

export const HostListQuery = z.strictObject({
  status: Status.optional(),
  limit: Limit,
  cursor: Cursor,
});
export type HostListQuery = z.infer<typeof HostListQuery>;

export const ReviewQueueQuery = z.strictObject({
  status: Status.default("IN_REVIEW"),
  limit: Limit,
  cursor: Cursor,
});
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuery>;

const minor = z.coerce.number().int().min(0).max(MAX_MINOR_UNITS);
export const SearchQuery = z
  .strictObject({
    city: required(line(100)),
    guests: z.coerce.number().int().min(1).max(50).optional(),
    minPrice: minor.optional(),
    maxPrice: minor.optional(),
    limit: Limit,
    cursor: Cursor,
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: "minPrice must not exceed maxPrice",
    path: ["minPrice"],
  });
export type SearchQuery = z.infer<typeof SearchQuery>;
