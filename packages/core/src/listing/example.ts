import type { CreateInput } from "./schema.js";

/**
 * A complete listing input (everything `submit` needs), for tests, benchmarks and the docs'
 * examples. Pure data: importing it binds no table.
 */
export function exampleListing(city = "Zürich") {
  return {
    listingName: "Bright loft by the lake",
    description: "Two rooms, a balcony and a view of the lake.",
    propertyType: "apartment",
    address: {
      street: "Seestrasse 1",
      city,
      postcode: "8002",
      country: "CH",
      lat: 47.3621,
      lng: 8.5361,
    },
    capacity: { guests: 4, bedrooms: 2, beds: 2, bathrooms: 1.5 },
    amenities: ["wifi", "kitchen"],
    pricing: { nightlyPrice: 18_000, currency: "CHF", cleaningFee: 5_000 },
    checkInTime: "15:00",
    checkOutTime: "11:00",
    houseRules: "No parties.",
  } satisfies CreateInput;
}
