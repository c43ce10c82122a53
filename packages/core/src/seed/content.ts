/**
 * The listing content writer: realistic names, descriptions, addresses, capacities,
 * amenities, prices and house rules for a listing in a given city, drawn from the faker
 * instance it is given (generate.ts seeds it), so the same seed writes the same words.
 */
import type { Faker } from "@faker-js/faker";
// Types only, as in generate.ts: the content writer stays pure too.
import { type AMENITIES, MAX_MINOR_UNITS, type PROPERTY_TYPES } from "../listing/schema.js";
import type { City } from "./cities.js";

type Amenity = (typeof AMENITIES)[number];
type PropertyType = (typeof PROPERTY_TYPES)[number];

/** A listing with every field filled in, as the host would submit it. */
export interface Complete {
  listingName: string;
  description: string;
  propertyType: PropertyType;
  address: {
    street: string;
    city: string;
    postcode: string;
    country: string;
    lat: number;
    lng: number;
  };
  capacity: { guests: number; bedrooms: number; beds: number; bathrooms: number };
  amenities: Amenity[];
  pricing: { nightlyPrice: number; currency: string; cleaningFee?: number };
  checkInTime: string;
  checkOutTime: string;
  houseRules: string;
}

const ADJECTIVES = [
  "Bright",
  "Sunny",
  "Quiet",
  "Cosy",
  "Stylish",
  "Spacious",
  "Charming",
  "Modern",
  "Airy",
  "Renovated",
  "Calm",
  "Light-filled",
];

const NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const spell = (n: number) => NUMBERS[n] ?? String(n);
const plural = (n: number, noun: string) => `${spell(n)} ${noun}${n === 1 ? "" : "s"}`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

export function listingContent(f: Faker, city: City): Complete {
  const types: { weight: number; value: PropertyType }[] = [
    { weight: 55, value: "apartment" },
    { weight: 12, value: "room" },
    { weight: 10, value: "house" },
    { weight: 8, value: "other" },
    { weight: city.waterfront ? 5 : 1, value: "villa" },
    { weight: city.outskirts ? 8 : 0, value: "cabin" },
  ];
  const propertyType = f.helpers.weightedArrayElement(types.filter((t) => t.weight > 0));
  const area =
    propertyType === "cabin" && city.outskirts
      ? city.outskirts
      : f.helpers.arrayElement(city.areas);
  const template = f.helpers.arrayElement(area.streets);
  const [low, high] = city.houseNumbers;
  const street = template.replace(/\{n\}/g, () => String(f.number.int({ min: low, max: high })));
  const streetName =
    template
      .replace(/\{n\}(-\{n\})*/g, "")
      .split(",")[0]
      ?.trim() ?? area.name;

  const capacity = capacityOf(f, propertyType);
  const amenities = amenitiesOf(f, propertyType, city);
  const kind = kindOf(f, propertyType, capacity.bedrooms);
  const adjective = f.helpers.arrayElement(ADJECTIVES);

  const feature = (
    [
      ["balcony", "a balcony"],
      ["garden", "a garden"],
      ["sea_view", "a view of the water"],
      ["pool", "a pool"],
      ["hot_tub", "a hot tub"],
      ["workspace", "a workspace"],
    ] as const
  ).find(([amenity]) => amenities.includes(amenity))?.[1];
  const listingName = f.helpers.arrayElement([
    propertyType === "cabin"
      ? `${adjective} ${kind} at the edge of ${city.name}`
      : `${adjective} ${kind} in ${area.name}`,
    feature ? `${adjective} ${kind} with ${feature}` : `${adjective} ${kind} in ${city.name}`,
    `${capitalise(kind)} on ${streetName}`,
  ]);

  const lat = city.centre.lat + f.number.float({ min: -0.03, max: 0.03 });
  const lng =
    city.centre.lng +
    f.number.float({ min: -0.03, max: 0.03 }) / Math.cos((city.centre.lat * Math.PI) / 180);
  const round = (degrees: number) => Math.round(degrees * 1e5) / 1e5;

  return {
    listingName,
    description: describe(f, {
      city,
      area: area.name,
      streetName,
      adjective,
      kind,
      capacity,
      amenities,
      propertyType,
    }),
    propertyType,
    address: {
      street,
      city: city.name,
      postcode: f.helpers.replaceSymbols(area.postcode),
      country: city.country,
      lat: round(lat),
      lng: round(lng),
    },
    capacity,
    amenities,
    pricing: pricingOf(f, city, propertyType, capacity.bedrooms),
    checkInTime: f.helpers.arrayElement(["14:00", "15:00", "15:00", "16:00"]),
    checkOutTime: f.helpers.arrayElement(["10:00", "11:00", "11:00", "12:00"]),
    houseRules: houseRules(f, amenities),
  };
}

function kindOf(f: Faker, type: PropertyType, bedrooms: number): string {
  switch (type) {
    case "apartment":
      return bedrooms === 0
        ? "studio"
        : `${spell(bedrooms)}-bedroom ${f.helpers.arrayElement(["flat", "apartment"])}`;
    case "room":
      return f.helpers.arrayElement(["private room", "room", "guest room"]);
    case "house":
      return f.helpers.arrayElement(["family house", "townhouse", "house"]);
    case "villa":
      return "villa";
    case "cabin":
      return f.helpers.arrayElement(["cabin", "log cabin", "wooden cabin"]);
    case "other":
      return bedrooms === 0 ? "garden studio" : f.helpers.arrayElement(["loft", "tiny house"]);
  }
}

function capacityOf(f: Faker, type: PropertyType): Complete["capacity"] {
  const int = (min: number, max: number) => f.number.int({ min, max });
  let bedrooms: number;
  let beds: number;
  let bathrooms: number;
  switch (type) {
    case "room":
      // No bathroom of its own (0) means sharing the host's.
      bedrooms = 1;
      beds = 1;
      bathrooms = f.helpers.arrayElement([0, 1]);
      break;
    case "apartment":
      bedrooms = f.helpers.weightedArrayElement([
        { weight: 2, value: 0 },
        { weight: 5, value: 1 },
        { weight: 4, value: 2 },
        { weight: 2, value: 3 },
      ]);
      beds = Math.max(1, bedrooms + int(0, 1));
      bathrooms = bedrooms >= 3 ? 2 : bedrooms === 2 ? f.helpers.arrayElement([1, 1.5, 2]) : 1;
      break;
    case "house":
      bedrooms = int(2, 5);
      beds = bedrooms + int(0, 2);
      bathrooms = f.helpers.arrayElement([1.5, 2, 2.5, 3]);
      break;
    case "villa":
      bedrooms = int(3, 6);
      beds = bedrooms + int(0, 2);
      bathrooms = int(2, 4) + f.helpers.arrayElement([0, 0.5]);
      break;
    case "cabin":
      bedrooms = int(1, 3);
      beds = bedrooms + int(0, 1);
      bathrooms = 1;
      break;
    case "other":
      bedrooms = int(0, 1);
      beds = int(1, 2);
      bathrooms = 1;
      break;
  }
  // Most beds sleep two; a listing never sleeps more than its beds do.
  const guests = Math.max(1, Math.min(beds * 2, Math.max(bedrooms, 1) * 2 + int(-1, 2)));
  return { guests, bedrooms, beds, bathrooms };
}

/** Every amenity with its likelihood; a Record, so a new vocabulary word must be placed here. */
function amenitiesOf(f: Faker, type: PropertyType, city: City): Amenity[] {
  const whole = type !== "room";
  const houseLike = type === "house" || type === "villa" || type === "cabin";
  const flat = type === "apartment" || type === "room" || type === "other";
  const warm = Math.abs(city.centre.lat) < 42;
  const odds: Record<Amenity, number> = {
    wifi: 0.97,
    kitchen: whole ? 0.92 : 0.5,
    washer: 0.6,
    dryer: 0.3,
    air_conditioning: warm ? 0.7 : 0.15,
    heating: warm ? 0.5 : 0.95,
    workspace: 0.4,
    tv: 0.5,
    free_parking: houseLike ? 0.7 : 0.1,
    paid_parking: flat ? 0.15 : 0,
    ev_charger: houseLike ? 0.2 : 0.03,
    pool: type === "villa" ? 0.9 : type === "house" && warm ? 0.15 : 0,
    hot_tub: type === "villa" ? 0.4 : type === "cabin" ? 0.3 : 0,
    gym: flat ? 0.05 : 0,
    bbq_grill: houseLike ? 0.5 : 0.05,
    balcony: flat ? 0.45 : 0.2,
    garden: houseLike ? 0.75 : 0.05,
    sea_view: city.waterfront ? (type === "villa" ? 0.6 : 0.2) : 0,
    elevator: type === "apartment" ? 0.45 : 0,
    wheelchair_accessible: 0.08,
    crib: whole ? 0.15 : 0,
    pets_allowed: 0.2,
    self_check_in: 0.5,
    smoke_alarm: 0.9,
    carbon_monoxide_alarm: 0.4,
    first_aid_kit: 0.5,
    fire_extinguisher: 0.4,
  };
  return (Object.entries(odds) as [Amenity, number][])
    .filter(([, probability]) => probability > 0 && f.datatype.boolean({ probability }))
    .map(([amenity]) => amenity);
}

/** Minor units per major unit: 100 for most currencies, 1 for JPY. */
function minorUnits(currency: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits;
  return 10 ** (digits ?? 2);
}

/** To a price a host would pick: 5 in the hundreds, 500 in the ten thousands, in major units. */
export function roundPrice(minor: number, currency: string): number {
  const unit = minorUnits(currency);
  const major = minor / unit;
  const step = Math.max(1, 10 ** (Math.floor(Math.log10(major)) - 1) / 2);
  return Math.min(MAX_MINOR_UNITS, Math.max(1, Math.round(major / step)) * step * unit);
}

function pricingOf(
  f: Faker,
  city: City,
  type: PropertyType,
  bedrooms: number,
): Complete["pricing"] {
  const size = Math.max(bedrooms, 1);
  const factor = {
    room: 0.55,
    apartment: bedrooms === 0 ? 0.85 : 1 + 0.35 * (size - 1),
    house: 1.3 + 0.3 * (size - 2),
    villa: 2.5 + 0.4 * (size - 3),
    cabin: 0.9 + 0.2 * (size - 1),
    other: 1.1,
  }[type];
  const unit = minorUnits(city.currency);
  const nightly = city.typicalPrice * factor * f.number.float({ min: 0.8, max: 1.3 }) * unit;
  const nightlyPrice = roundPrice(nightly, city.currency);
  const fee = f.datatype.boolean({ probability: type === "room" ? 0.3 : 0.7 })
    ? roundPrice(nightlyPrice * f.number.float({ min: 0.2, max: 0.4 }), city.currency)
    : undefined;
  return { nightlyPrice, currency: city.currency, ...(fee ? { cleaningFee: fee } : {}) };
}

const FEATURES: readonly [Amenity, string][] = [
  ["kitchen", "The kitchen is fully equipped, down to the coffee machine and the dishwasher."],
  ["workspace", "Fast wifi and a proper desk make it easy to work from here."],
  ["balcony", "The balcony gets the evening sun."],
  ["garden", "The garden, with a table and chairs, is yours to use."],
  ["sea_view", "From the windows you look out over the water."],
  ["pool", "The pool is open from May to September."],
  ["hot_tub", "After a long day, the hot tub on the terrace is waiting."],
  ["washer", "There is a washing machine, so you can pack light."],
  ["free_parking", "Parking in front of the house is free."],
  [
    "self_check_in",
    "Check-in is self-service with a key box, so you can arrive when it suits you.",
  ],
  ["pets_allowed", "Well-behaved dogs are welcome."],
  ["wheelchair_accessible", "It is step-free from the street to the bedroom."],
  ["crib", "A cot and a high chair are there for little ones."],
];

function describe(
  f: Faker,
  p: {
    city: City;
    area: string;
    streetName: string;
    adjective: string;
    kind: string;
    capacity: Complete["capacity"];
    amenities: Amenity[];
    propertyType: PropertyType;
  },
): string {
  const { city, area, capacity } = p;
  const adjective = p.adjective.toLowerCase();
  const sentences = [
    `${capitalise(article(adjective))} ${adjective} ${p.kind} on ${p.streetName} in ${area}, ${city.name}.`,
  ];
  const baths =
    capacity.bathrooms % 1
      ? `${spell(Math.floor(capacity.bathrooms))} and a half bathrooms`
      : plural(capacity.bathrooms, "bathroom");
  const sleeps = `sleeps up to ${spell(capacity.guests)}`;
  sentences.push(
    p.propertyType === "room"
      ? `The room has ${plural(capacity.beds, "bed")} and ${capacity.bathrooms ? "its own bathroom" : "shares the bathroom with us"}, and ${sleeps}.`
      : capacity.bedrooms === 0
        ? `It is one open room with ${plural(capacity.beds, "bed")} and ${baths}, and ${sleeps}.`
        : `It has ${plural(capacity.bedrooms, "bedroom")}, ${plural(capacity.beds, "bed")} and ${baths}, and ${sleeps}.`,
  );
  const features = FEATURES.filter(([amenity]) => p.amenities.includes(amenity)).map(([, s]) => s);
  sentences.push(
    ...f.helpers.arrayElements(features, { min: Math.min(1, features.length), max: 3 }),
  );
  sentences.push(
    p.propertyType === "cabin"
      ? `The woods start behind the house, and the centre of ${city.name} is a short drive away.`
      : f.helpers.arrayElement([
          `${area} is full of cafés, bakeries and small shops, and the nearest stop is a few minutes' walk away.`,
          `The street is quiet, yet the bars and restaurants of ${area} are just around the corner.`,
          `You can walk to the centre of ${city.name} in about ${f.number.int({ min: 2, max: 6 }) * 5} minutes.`,
          "Public transport stops almost outside the door.",
        ]),
  );
  const closing = f.helpers.maybe(
    () =>
      f.helpers.arrayElement([
        "We look forward to welcoming you!",
        "Ask us anything before you book.",
      ]),
    { probability: 0.5 },
  );
  if (closing) sentences.push(closing);
  return sentences.join(" ");
}

function houseRules(f: Faker, amenities: Amenity[]): string {
  const rules = [
    amenities.includes("balcony")
      ? "No smoking inside, including the balcony."
      : "No smoking inside.",
    "No parties or events.",
    "Quiet hours from 22:00 to 07:00.",
    amenities.includes("pets_allowed")
      ? "Dogs are welcome; please keep them off the beds."
      : "No pets, sorry.",
    "Please take your shoes off inside.",
    "Please separate the recycling; the bins are in the courtyard.",
    "Arrivals after 22:00 only by arrangement.",
    "Please turn off the heating and the lights when you go out.",
  ];
  return f.helpers.arrayElements(rules, { min: 2, max: 4 }).join("\n");
}
