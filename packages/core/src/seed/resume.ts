/**
 * How far an earlier run of the same seed got with a listing, so that a run after a failure
 * finishes what is missing instead of skipping the host or writing the listing twice. Pure:
 * seed.ts reads the listings, this decides.
 *
 * Seeded listings are recognised by their address: generated per listing (street, postcode
 * and coordinates to 1 m), never changed by a step (no review flaw or fix touches it), and
 * the services store it as generated. How far a listing got is its version: every step is
 * one conditional write that adds one (listing/index.ts `write`), photos do not change it.
 */
import { CONTENT_FIELDS, type CreateInput } from "../listing/schema.js";
import { type Action, type Status, transition } from "../listing/status.js";
import type { DemoListing, Step } from "./generate.js";

interface Existing {
  status: Status;
  version: number;
  address?: CreateInput["address"] | undefined;
}

/** What a listing's address says about which planned listing it is; undefined without one. */
export function addressKey(address: CreateInput["address"] | undefined): string | undefined {
  if (!address) return undefined;
  const { street, postcode, city, country, lat, lng } = address;
  return JSON.stringify([street, postcode, city, country, lat, lng]);
}

function actionOf(step: Step): Action {
  if (step.action !== "update") return step.action;
  const content = Object.keys(step.changes).some((field) =>
    (CONTENT_FIELDS as readonly string[]).includes(field),
  );
  return content ? "editContent" : "editDetails";
}

/** The listing's status after each number of steps: `[DRAFT, after step 1, ...]`. */
export function statusesAlong(steps: readonly Step[]): Status[] {
  const statuses: Status[] = ["DRAFT"];
  for (const step of steps) {
    statuses.push(transition(statuses.at(-1) as Status, actionOf(step)));
  }
  return statuses;
}

/**
 * How many of the planned steps the listing has taken, or undefined when its state is not
 * on the plan's path (somebody changed it since, e.g. in the dashboard): then it is no
 * longer the seed's to change.
 */
export function stepsTaken(planned: DemoListing, existing: Existing): number | undefined {
  const taken = existing.version - 1;
  const statuses = statusesAlong(planned.steps);
  if (taken >= 0 && taken < statuses.length && statuses[taken] === existing.status) return taken;
  return undefined;
}

export interface Matched<L> {
  planned: DemoListing;
  /** The listing an earlier run created for it, if any. */
  existing?: L;
}

/**
 * Pairs a host's planned listings with the listings it has. Listings that match no plan
 * (the host's own, another seed's) are not in the result: a seed never touches them.
 */
export function matchPlan<L extends Existing>(
  planned: readonly DemoListing[],
  listings: readonly L[],
): { matches: Matched<L>[]; matchedAny: boolean } {
  const byAddress = new Map<string, L[]>();
  for (const listing of listings) {
    const key = addressKey(listing.address);
    if (key) byAddress.set(key, [...(byAddress.get(key) ?? []), listing]);
  }
  let matchedAny = false;
  const matches = planned.map((plan) => {
    const key = addressKey(plan.input.address);
    const existing = key ? byAddress.get(key)?.shift() : undefined;
    if (!existing) return { planned: plan };
    matchedAny = true;
    return { planned: plan, existing };
  });
  return { matches, matchedAny };
}
