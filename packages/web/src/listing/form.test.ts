import type { Info } from "@localstays/core/listing/schema";
import { describe, expect, it } from "vitest";
import {
  type FormValues,
  isContentField,
  validateCreate,
  validateUpdate,
  valuesOf,
} from "./form.js";

const complete: FormValues = {
  ...valuesOf(),
  listingName: "Loft by the lake",
  description: "Two rooms, lake view.",
  propertyType: "apartment",
  "address.street": "Seestrasse 1",
  "address.city": "Zürich",
  "address.postcode": "8002",
  "address.country": "ch",
  "capacity.guests": "4",
  "capacity.bedrooms": "2",
  "capacity.beds": "2",
  "capacity.bathrooms": "1.5",
  "pricing.nightlyPrice": "180",
  "pricing.currency": "chf",
  checkInTime: "15:00",
  amenities: ["kitchen", "wifi"],
};

const listing: Info = {
  listingId: "listing_01J0000000000000000000000A",
  hostId: "host_01J0000000000000000000000A",
  listingName: "Loft by the lake",
  description: "Two rooms, lake view.",
  propertyType: "apartment",
  address: {
    street: "Seestrasse 1",
    city: "Zürich",
    postcode: "8002",
    country: "CH",
    lat: 47.36,
    lng: 8.54,
  },
  capacity: { guests: 4, bedrooms: 2, beds: 2, bathrooms: 1.5 },
  amenities: ["wifi", "kitchen"],
  pricing: { nightlyPrice: 18000, currency: "CHF" },
  checkInTime: "15:00",
  status: "DRAFT",
  version: 3,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  photos: [],
  photosRev: 0,
  missingForSubmit: ["photos"],
};

describe("validateCreate", () => {
  it("turns a filled form into core's CreateInput, prices in minor units", () => {
    expect(validateCreate(complete)).toEqual({
      ok: true,
      input: {
        listingName: "Loft by the lake",
        description: "Two rooms, lake view.",
        propertyType: "apartment",
        address: { street: "Seestrasse 1", city: "Zürich", postcode: "8002", country: "CH" },
        capacity: { guests: 4, bedrooms: 2, beds: 2, bathrooms: 1.5 },
        pricing: { nightlyPrice: 18000, currency: "CHF" },
        checkInTime: "15:00",
        amenities: ["wifi", "kitchen"],
      },
    });
  });

  it("accepts an empty form: a draft may start with nothing", () => {
    expect(validateCreate(valuesOf())).toEqual({ ok: true, input: { amenities: [] } });
  });

  it("names each problem by the field it belongs to", () => {
    const result = validateCreate({
      ...valuesOf(),
      "address.city": "Zürich",
      "capacity.guests": "many",
      "pricing.nightlyPrice": "12.345",
      "pricing.currency": "CHF",
      checkInTime: "25:00",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      "address.street": ["must not be empty"],
      "address.postcode": ["must not be empty"],
      "address.country": ["must be an ISO 3166-1 alpha-2 country code, e.g. CH"],
      "capacity.guests": ["must be a number"],
      "capacity.bedrooms": ["is required"],
      "capacity.beds": ["is required"],
      "capacity.bathrooms": ["is required"],
      "pricing.nightlyPrice": ["must have at most 2 decimals"],
      checkInTime: ["must be a time as HH:MM (24 h)"],
    });
  });
});

describe("validateUpdate", () => {
  it("sends nothing when nothing changed", () => {
    expect(validateUpdate(valuesOf(listing), listing)).toEqual({ ok: true, input: null });
  });

  it("sends only the changed fields, whole groups, and null for a cleared one", () => {
    const values = { ...valuesOf(listing), "pricing.nightlyPrice": "200.00", checkInTime: "" };
    expect(validateUpdate(values, listing)).toEqual({
      ok: true,
      input: { pricing: { nightlyPrice: 20000, currency: "CHF" }, checkInTime: null },
    });
  });
});

describe("isContentField", () => {
  it("knows what the admin reviews", () => {
    expect(isContentField("address.city")).toBe(true);
    expect(isContentField("amenities")).toBe(true);
    expect(isContentField("pricing.nightlyPrice")).toBe(false);
    expect(isContentField("checkInTime")).toBe(false);
  });
});
