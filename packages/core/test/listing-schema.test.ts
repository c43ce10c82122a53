import { describe, expect, it } from "vitest";
import { cityKey } from "../src/listing/city.js";
import { CreateInput, SearchQuery, UpdateInput } from "../src/listing/schema.js";
import { completeListing } from "./listing-fixtures.js";

describe("city search keys", () => {
  it.each([
    ["Zürich", "zurich"],
    ["ZÜRICH ", "zurich"],
    ["São Paulo", "sao paulo"],
    ["Kraków", "krakow"],
    ["Łódź", "lodz"],
    ["Tromsø", "tromso"],
    ["Düsseldorf", "dusseldorf"],
    ["Gießen", "giessen"],
    ["Aix-en-Provence", "aix en provence"],
    ["  New   York ", "new york"],
  ])("%s matches %s", (city, key) => {
    expect(cityKey(city)).toBe(key);
  });
});

describe("listing input", () => {
  it("accepts a complete listing and normalises codes", () => {
    const input = completeListing();
    const parsed = CreateInput.parse({
      ...input,
      address: { ...input.address, country: "ch" },
      pricing: { ...input.pricing, currency: "chf" },
      amenities: ["wifi", "wifi", "kitchen"],
    });
    expect(parsed.address?.country).toBe("CH");
    expect(parsed.pricing?.currency).toBe("CHF");
    expect(parsed.amenities).toEqual(["wifi", "kitchen"]);
  });

  it("accepts an empty draft", () => {
    expect(CreateInput.parse({})).toEqual({});
  });

  it.each([
    ["an unknown country", { address: { ...completeListing().address, country: "XX" } }],
    [
      "a region that is not a country",
      { address: { ...completeListing().address, country: "EU" } },
    ],
    ["an unknown currency", { pricing: { nightlyPrice: 100, currency: "ABC" } }],
    ["a fractional price", { pricing: { nightlyPrice: 10.5, currency: "EUR" } }],
    ["a zero price", { pricing: { nightlyPrice: 0, currency: "EUR" } }],
    ["no guests", { capacity: { guests: 0, bedrooms: 1, beds: 1, bathrooms: 1 } }],
    ["a third of a bathroom", { capacity: { guests: 1, bedrooms: 1, beds: 1, bathrooms: 1.3 } }],
    ["an unknown amenity", { amenities: ["helipad"] }],
    ["an unknown property type", { propertyType: "castle" }],
    ["a time that is not HH:MM", { checkInTime: "3pm" }],
    ["control characters in the name", { listingName: "a\u0007b" }],
    ["an unknown field", { status: "ONLINE" }],
    ["half an address", { address: { city: "Bern" } }],
    ["a name of 101 characters", { listingName: "x".repeat(101) }],
  ])("refuses %s", (_, input) => {
    expect(CreateInput.safeParse(input).success).toBe(false);
  });

  it("keeps newlines in prose fields", () => {
    expect(CreateInput.parse({ houseRules: "No smoking.\nNo parties." }).houseRules).toBe(
      "No smoking.\nNo parties.",
    );
  });

  it("takes null to clear a field, and refuses an empty patch", () => {
    expect(UpdateInput.parse({ description: null })).toEqual({ description: null });
    expect(UpdateInput.safeParse({}).success).toBe(false);
  });
});

describe("search query", () => {
  it("reads numbers from the query string", () => {
    expect(SearchQuery.parse({ city: "Bern", guests: "2", minPrice: "100", limit: "5" })).toEqual({
      city: "Bern",
      guests: 2,
      minPrice: 100,
      limit: 5,
    });
  });

  it.each([
    [{}],
    [{ city: "" }],
    [{ city: "Bern", guests: "two" }],
    [{ city: "Bern", limit: "0" }],
    [{ city: "Bern", limit: "101" }],
    [{ city: "Bern", minPrice: "500", maxPrice: "100" }],
    [{ city: "Bern", sort: "price" }],
  ])("refuses %j", (query) => {
    expect(SearchQuery.safeParse(query).success).toBe(false);
  });
});
