import {
  AMENITIES,
  CONTENT_FIELDS,
  CreateInput,
  type Field,
  type Info,
  UpdateInput,
} from "@localstays/core/listing/schema";
import type { z } from "zod";
import type { Amenity } from "./labels.js";
import { fromMinor, toMinor } from "./money.js";

/**
 * The listing form: what the inputs hold (strings, keyed by the API's field path so that
 * client and server errors land next to the same input), and how that becomes a CreateInput
 * or an UpdateInput, validated with core's own schemas.
 */
const TEXT_FIELDS = [
  "listingName",
  "description",
  "propertyType",
  "address.street",
  "address.city",
  "address.postcode",
  "address.country",
  "capacity.guests",
  "capacity.bedrooms",
  "capacity.beds",
  "capacity.bathrooms",
  "pricing.nightlyPrice",
  "pricing.currency",
  "pricing.cleaningFee",
  "checkInTime",
  "checkOutTime",
  "houseRules",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type FormValues = Record<TextField, string> & { amenities: Amenity[] };
/** Problems by field path ("address.city"); "(root)" for the whole input. */
export type FieldErrors = Record<string, string[]>;

export type Validated<T> = { ok: true; input: T } | { ok: false; errors: FieldErrors };

export function isContentField(path: TextField | "amenities"): boolean {
  const top = path.split(".")[0] as Field;
  return (CONTENT_FIELDS as readonly Field[]).includes(top);
}

export function valuesOf(listing?: Info): FormValues {
  const text = (value: number | string | undefined) => (value === undefined ? "" : String(value));
  const currency = listing?.pricing?.currency ?? "";
  const money = (minor: number | undefined) =>
    minor === undefined ? "" : fromMinor(minor, currency);
  return {
    listingName: listing?.listingName ?? "",
    description: text(listing?.description),
    propertyType: text(listing?.propertyType),
    "address.street": text(listing?.address?.street),
    "address.city": text(listing?.address?.city),
    "address.postcode": text(listing?.address?.postcode),
    "address.country": text(listing?.address?.country),
    "capacity.guests": text(listing?.capacity?.guests),
    "capacity.bedrooms": text(listing?.capacity?.bedrooms),
    "capacity.beds": text(listing?.capacity?.beds),
    "capacity.bathrooms": text(listing?.capacity?.bathrooms),
    "pricing.nightlyPrice": money(listing?.pricing?.nightlyPrice),
    "pricing.currency": currency,
    "pricing.cleaningFee": money(listing?.pricing?.cleaningFee),
    checkInTime: text(listing?.checkInTime),
    checkOutTime: text(listing?.checkOutTime),
    houseRules: text(listing?.houseRules),
    amenities: [...(listing?.amenities ?? [])],
  };
}

type Fields = Partial<Record<Field, unknown>>;

/**
 * The fields the form describes, before schema validation, plus the problems only the form
 * can see (a number that is not one). An empty text field is an absent field; a group
 * (address, capacity, pricing) is present as a whole as soon as one of its inputs is filled,
 * so a half-filled group is reported field by field. Coordinates are not edited here: a
 * changed address is sent without them, as the old ones would no longer match it.
 */
function toFields(values: FormValues): { fields: Fields; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fields: Fields = {};
  const filled = (path: TextField) => values[path].trim() !== "";
  const count = (path: TextField): number | undefined => {
    const value = values[path].trim();
    if (!value) {
      errors[path] = ["is required"];
      return undefined;
    }
    const number = Number(value);
    if (Number.isNaN(number)) errors[path] = ["must be a number"];
    return number;
  };
  const money = (path: TextField, currency: string): number | undefined => {
    const result = toMinor(values[path], currency);
    if (result.ok) return result.value;
    errors[path] = [filled(path) ? result.message : "is required"];
    return undefined;
  };

  for (const key of [
    "listingName",
    "description",
    "propertyType",
    "checkInTime",
    "checkOutTime",
    "houseRules",
  ] as const) {
    if (filled(key)) fields[key] = values[key];
  }
  const address = [
    "address.street",
    "address.city",
    "address.postcode",
    "address.country",
  ] as const;
  if (address.some(filled)) {
    fields.address = {
      street: values["address.street"],
      city: values["address.city"],
      postcode: values["address.postcode"],
      country: values["address.country"].trim(),
    };
  }
  const capacity = [
    "capacity.guests",
    "capacity.bedrooms",
    "capacity.beds",
    "capacity.bathrooms",
  ] as const;
  if (capacity.some(filled)) {
    fields.capacity = {
      guests: count("capacity.guests"),
      bedrooms: count("capacity.bedrooms"),
      beds: count("capacity.beds"),
      bathrooms: count("capacity.bathrooms"),
    };
  }
  if (filled("pricing.nightlyPrice") || filled("pricing.cleaningFee")) {
    const currency = values["pricing.currency"].trim().toUpperCase();
    fields.pricing = {
      nightlyPrice: money("pricing.nightlyPrice", currency),
      currency,
      ...(filled("pricing.cleaningFee")
        ? { cleaningFee: money("pricing.cleaningFee", currency) }
        : {}),
    };
  }
  fields.amenities = AMENITIES.filter((amenity) => values.amenities.includes(amenity));
  return { fields, errors };
}

function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  known: FieldErrors,
): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success && !Object.keys(known).length) return { ok: true, input: result.data };
  const errors = { ...known };
  for (const issue of result.error?.issues ?? []) {
    const path = issue.path.length ? issue.path.map(String).join(".") : "(root)";
    // The form's own finding ("is required") says it better than the schema's type error.
    if (known[path]) continue;
    errors[path] = [...(errors[path] ?? []), issue.message];
  }
  return { ok: false, errors };
}

export function validateCreate(values: FormValues): Validated<CreateInput> {
  const { fields, errors } = toFields(values);
  return validate(CreateInput, fields, errors);
}

/**
 * The PATCH for what changed since `listing` was read: changed fields only, `null` for one
 * the host cleared; `null` input when nothing changed.
 */
export function validateUpdate(values: FormValues, listing: Info): Validated<UpdateInput | null> {
  const { fields, errors } = toFields(values);
  const { fields: before } = toFields(valuesOf(listing));
  const changes: Fields = {};
  for (const key of new Set([...Object.keys(fields), ...Object.keys(before)]) as Set<Field>) {
    if (JSON.stringify(fields[key]) !== JSON.stringify(before[key]))
      changes[key] = fields[key] ?? null;
  }
  if (!Object.keys(changes).length && !Object.keys(errors).length) return { ok: true, input: null };
  return validate(UpdateInput, changes, errors);
}
