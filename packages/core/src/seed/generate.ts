/**
 * The demo data plan: how many hosts, who they are, which city and target status each
 * listing gets (spread over every city and status, mostly online), and the steps that take
 * each listing there. What a listing says is written by content.ts; what admins write in
 * review comes from review.ts.
 */
import {
  base,
  da,
  de,
  de_AT,
  de_CH,
  en,
  en_AU,
  en_GB,
  en_US,
  en_ZA,
  es,
  es_MX,
  Faker,
  fr,
  fr_CA,
  fr_CH,
  it,
  ja,
  type LocaleDefinition,
  nl,
  pl,
  pt_PT,
  sv,
} from "@faker-js/faker";
import type { CreateInput, UpdateInput } from "../listing/schema.js";
import { STATUSES, type Status } from "../listing/status.js";
import { CITIES, type City, type FakerLocale } from "./cities.js";
import { listingContent, roundPrice } from "./content.js";
import { APPROVAL_NOTES, REJECTIONS } from "./review.js";

/**
 * Deterministic demo data: the same options give the same hosts and listings (names,
 * descriptions, addresses, prices, target statuses, review notes), so a bug seen in
 * somebody's seeded stack can be seen in everyone's. Ids and timestamps are not part of it:
 * the services assign those when seed.ts writes the data.
 *
 * Every random choice comes from faker instances created here and seeded from the options,
 * never from the global `faker` or Math.random. A plan of cities and statuses comes first;
 * then each host and each listing reseeds its instance from (seed, host, listing), so a
 * listing's content depends on its place and planned status, not on how much randomness the
 * listings before it used.
 */
export interface GenerateOptions {
  hosts: number;
  listingsPerHost: number;
  seed: number;
  /** Existing hosts (e.g. the local demo host) that get EXTRA_HOST_STATUSES listings each. */
  extraHosts?: number;
}

/** What a host does to a listing after creating it, in order; seed.ts replays it. */
export type Step =
  | { action: "submit" | "publish" | "unpublish" | "archive" }
  | { action: "approve"; note?: string }
  | { action: "reject"; reason: string }
  | { action: "update"; changes: UpdateInput };

export interface DemoListing {
  /** `<host>/<listing>` (1-based) or `extra<n>/<listing>`: names the listing in messages. */
  ref: string;
  city: string;
  /** The status the listing ends in. */
  status: Status;
  /** What the host typed when creating it (a rejected listing has the flaw it was rejected for). */
  input: CreateInput;
  steps: Step[];
  /** The listing's content once every step ran. */
  content: CreateInput;
}

export interface DemoHost {
  /**
   * Synthetic, e.g. `seed:1:3`: seeded hosts have no Cognito user and cannot sign in (their
   * emails are @example.com). They exist to fill search, the admin queue and the numbers;
   * to click through a host's dashboard, sign in as the local demo host, which gets listings
   * of its own (`extraHosts`).
   */
  cognitoSub: string;
  email: string;
  displayName: string;
  listings: DemoListing[];
}

export interface DemoData {
  seed: number;
  hosts: DemoHost[];
  /** One list per extra host, EXTRA_HOST_STATUSES in order. */
  extra: DemoListing[][];
}

/** A dashboard with one listing of each status, two of them online. */
export const EXTRA_HOST_STATUSES: readonly Status[] = [
  "ONLINE",
  "ONLINE",
  "OFFLINE",
  "APPROVED",
  "IN_REVIEW",
  "REJECTED",
  "DRAFT",
  "ARCHIVED",
];

/** After every status has come up once: mostly online, as on a live marketplace. */
const STATUS_WEIGHTS: Record<Status, number> = {
  DRAFT: 14,
  IN_REVIEW: 12,
  APPROVED: 8,
  REJECTED: 7,
  ONLINE: 45,
  OFFLINE: 10,
  ARCHIVED: 9,
};

/** What `localstays seed` and `pnpm start` create unless told otherwise. */
export const DEMO_DEFAULTS = { hosts: 12, listingsPerHost: 4, seed: 1 } as const;
export const LIMITS = { hosts: 1000, listingsPerHost: 100, extraHosts: 100 } as const;
const EXTRA_HOST_OFFSET = 1_000_000;

const LOCALES: Record<FakerLocale, LocaleDefinition[]> = {
  de_CH: [de_CH, de],
  fr_CH: [fr_CH, fr],
  de: [de],
  de_AT: [de_AT, de],
  fr: [fr],
  fr_CA: [fr_CA, fr],
  es: [es],
  es_MX: [es_MX, es],
  pt_PT: [pt_PT],
  it: [it],
  nl: [nl],
  pl: [pl],
  da: [da],
  sv: [sv],
  en_GB: [en_GB],
  en_US: [en_US],
  en_ZA: [en_ZA],
  en_AU: [en_AU],
  ja: [ja],
};

function checkCount(name: string, value: number, max: number) {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, not ${value}`);
  }
}

export function generateDemoData(options: GenerateOptions): DemoData {
  const { hosts, listingsPerHost, seed, extraHosts = 0 } = options;
  checkCount("hosts", hosts, LIMITS.hosts);
  checkCount("listingsPerHost", listingsPerHost, LIMITS.listingsPerHost);
  checkCount("extraHosts", extraHosts, LIMITS.extraHosts);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, not ${seed}`);
  }

  const main = new Faker({ locale: [en, base] });
  const byLocale = new Map<FakerLocale, Faker>();
  const fakerFor = (locale: FakerLocale) => {
    let instance = byLocale.get(locale);
    if (!instance) {
      instance = new Faker({ locale: [...LOCALES[locale], en, base] });
      byLocale.set(locale, instance);
    }
    return instance;
  };

  // The first 20 listings visit every city once and the first 7 take every status once, so
  // any run of that size shows all of them; later ones follow the weights.
  main.seed([seed]);
  const cityOrder = main.helpers.shuffle([...CITIES]);
  const statusOrder = main.helpers.shuffle([...STATUSES]);
  const weightedCity = () =>
    main.helpers.weightedArrayElement(CITIES.map((c) => ({ weight: c.popularity, value: c })));
  const pickCity = (index: number): City => cityOrder[index] ?? weightedCity();
  const pickStatus = (index: number): Status =>
    statusOrder[index] ??
    main.helpers.weightedArrayElement(
      STATUSES.map((s) => ({ weight: STATUS_WEIGHTS[s], value: s })),
    );

  // Where and in which status each listing ends up, before any content is written.
  const plan = Array.from({ length: hosts * listingsPerHost }, (_, index) => {
    main.seed([seed, Math.floor(index / listingsPerHost), index % listingsPerHost]);
    return { city: pickCity(index), status: pickStatus(index) };
  });
  spreadOnline(plan);

  const emails = new Set<string>();
  const demoHosts: DemoHost[] = [];
  for (let h = 0; h < hosts; h++) {
    const listings: DemoListing[] = [];
    for (let j = 0; j < listingsPerHost; j++) {
      const planned = plan[h * listingsPerHost + j];
      if (!planned) throw new Error("plan too short");
      main.seed([seed, h, j, 1]);
      listings.push(listing(main, `${h + 1}/${j + 1}`, planned.city, planned.status));
    }
    // A host is named like the people of the city of its first listing.
    const home = plan[h * listingsPerHost]?.city ?? cityOrder[h % cityOrder.length] ?? CITIES[0];
    if (!home) throw new Error("no cities");
    const person = host(fakerFor(home.faker), home, [seed, h], h + 1, emails);
    demoHosts.push({ ...person, cognitoSub: `seed:${seed}:${h + 1}`, listings });
  }

  const extra: DemoListing[][] = [];
  for (let e = 0; e < extraHosts; e++) {
    extra.push(
      EXTRA_HOST_STATUSES.map((status, j) => {
        main.seed([seed, EXTRA_HOST_OFFSET + e, j]);
        return listing(main, `extra${e + 1}/${j + 1}`, weightedCity(), status);
      }),
    );
  }
  return { seed, hosts: demoHosts, extra };
}

/**
 * Swaps target statuses so that as many cities as possible, the popular ones first, have a
 * listing online: a guest trying the search finds something in most cities. Swapping keeps
 * the number of listings per status.
 */
function spreadOnline(plan: { city: City; status: Status }[]) {
  const online = (city: City) => plan.filter((p) => p.city === city && p.status === "ONLINE");
  const byPopularity = [...CITIES].sort((a, b) => b.popularity - a.popularity);
  for (const city of byPopularity) {
    if (online(city).length) continue;
    const taker = plan.find((p) => p.city === city);
    const giver = plan.find((p) => p.status === "ONLINE" && online(p.city).length > 1);
    if (!taker || !giver) continue;
    giver.status = taker.status;
    taker.status = "ONLINE";
  }
}

// ---- Hosts ----

/** ASCII for an email's local part; empty for scripts without a Latin spelling. */
function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[æ]/g, "ae")
    .replace(/[øœ]/g, "o")
    .replace(/ł/g, "l")
    .replace(/[^a-z0-9]+/g, "");
}

function host(
  f: Faker,
  home: City,
  seed: number[],
  n: number,
  emails: Set<string>,
): Omit<DemoHost, "cognitoSub" | "listings"> {
  f.seed(seed);
  const sex = f.person.sexType();
  const first = f.person.firstName(sex);
  const last = f.person.lastName(sex);
  // Japanese names read family name first.
  const full = home.faker === "ja" ? `${last} ${first}` : `${first} ${last}`;
  const displayName = f.helpers.weightedArrayElement([
    { weight: 6, value: full },
    { weight: 2, value: first },
    { weight: 1, value: `${first} & ${f.person.firstName()}` },
    { weight: 1, value: `${f.helpers.arrayElement(home.areas).name} Stays` },
  ]);
  const local = [slug(first), slug(last)].filter(Boolean).join(".") || `host${n}`;
  let email = `${local}@example.com`;
  for (let i = 2; emails.has(email); i++) email = `${local}${i}@example.com`;
  emails.add(email);
  return { email, displayName: displayName.slice(0, 80) };
}

// ---- Listings ----

function listing(f: Faker, ref: string, city: City, status: Status): DemoListing {
  const content = listingContent(f, city);
  const approve = (): Step => {
    const note = f.helpers.maybe(() => f.helpers.arrayElement(APPROVAL_NOTES), {
      probability: 0.4,
    });
    return note ? { action: "approve", note } : { action: "approve" };
  };
  const live: Step[] = [{ action: "submit" }];
  let input: CreateInput = content;
  let final: CreateInput = content;
  let steps: Step[];

  switch (status) {
    case "DRAFT": {
      // Half the drafts are still missing something the host has not got round to.
      if (f.datatype.boolean()) {
        const missing = f.helpers.arrayElements(
          ["pricing", "description", "capacity", "propertyType"] as const,
          { min: 1, max: 2 },
        );
        input = Object.fromEntries(
          Object.entries(content).filter(([key]) => !(missing as readonly string[]).includes(key)),
        ) as CreateInput;
        final = input;
      }
      steps = [];
      break;
    }
    case "IN_REVIEW":
      steps = live;
      break;
    case "APPROVED":
      steps = [...live, approve()];
      break;
    case "REJECTED": {
      const rejection = f.helpers.arrayElement(REJECTIONS);
      input = rejection.flaw(content);
      final = input;
      steps = [...live, { action: "reject", reason: rejection.reason }];
      break;
    }
    case "ONLINE": {
      // Some went online only after fixing what review found; some changed their price since.
      if (f.datatype.boolean({ probability: 0.15 })) {
        const rejection = f.helpers.arrayElement(REJECTIONS);
        input = rejection.flaw(content);
        steps = [
          ...live,
          { action: "reject", reason: rejection.reason },
          { action: "update", changes: rejection.fix(content) },
          { action: "submit" },
        ];
      } else {
        steps = [...live];
      }
      steps.push(approve(), { action: "publish" });
      if (f.datatype.boolean({ probability: 0.25 })) {
        const { pricing } = content;
        const nightlyPrice = roundPrice(pricing.nightlyPrice * 1.1, pricing.currency);
        const changed = { ...pricing, nightlyPrice };
        steps.push({ action: "update", changes: { pricing: changed } });
        final = { ...content, pricing: changed };
      }
      break;
    }
    case "OFFLINE":
      steps = [...live, approve(), { action: "publish" }, { action: "unpublish" }];
      break;
    case "ARCHIVED":
      // Abandoned drafts, and places that are no longer let.
      steps = f.datatype.boolean({ probability: 0.4 })
        ? [{ action: "archive" }]
        : [...live, approve(), { action: "publish" }, { action: "archive" }];
      break;
  }
  return { ref, city: city.name, status, input, steps, content: final };
}
