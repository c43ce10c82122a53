import { describe, expect, it } from "vitest";
import { InvalidTransition, Listing } from "../src/index.js";
import {
  ACTIONS,
  type Action,
  allowedActions,
  STATUSES,
  type Status,
  transition,
} from "../src/listing/status.js";
import { admin, createComplete, newHost } from "./listing-fixtures.js";

/**
 * The whole machine, written out by hand: every status x every action. "-" is refused.
 * (A second copy of the rules on purpose: the table in status.ts must agree with this one.)
 */
// biome-ignore format: the machine reads best as a table
const EXPECTED: Record<Status, Record<Action, Status | "-">> = {
  DRAFT:     { submit: "IN_REVIEW", approve: "-", reject: "-", publish: "-", unpublish: "-", archive: "ARCHIVED", editContent: "DRAFT", editDetails: "DRAFT" },
  IN_REVIEW: { submit: "-", approve: "APPROVED", reject: "REJECTED", publish: "-", unpublish: "-", archive: "ARCHIVED", editContent: "-", editDetails: "IN_REVIEW" },
  APPROVED:  { submit: "-", approve: "-", reject: "-", publish: "ONLINE", unpublish: "-", archive: "ARCHIVED", editContent: "IN_REVIEW", editDetails: "APPROVED" },
  REJECTED:  { submit: "-", approve: "-", reject: "-", publish: "-", unpublish: "-", archive: "ARCHIVED", editContent: "DRAFT", editDetails: "DRAFT" },
  ONLINE:    { submit: "-", approve: "-", reject: "-", publish: "-", unpublish: "OFFLINE", archive: "ARCHIVED", editContent: "IN_REVIEW", editDetails: "ONLINE" },
  OFFLINE:   { submit: "-", approve: "-", reject: "-", publish: "ONLINE", unpublish: "-", archive: "ARCHIVED", editContent: "IN_REVIEW", editDetails: "OFFLINE" },
  ARCHIVED:  { submit: "-", approve: "-", reject: "-", publish: "-", unpublish: "-", archive: "-", editContent: "-", editDetails: "-" },
};

describe("the listing status machine", () => {
  for (const from of STATUSES) {
    for (const action of ACTIONS) {
      const to = EXPECTED[from][action];
      if (to === "-") {
        it(`refuses ${action} on a ${from} listing with INVALID_TRANSITION naming both states`, () => {
          const error = (() => {
            try {
              transition(from, action);
            } catch (e) {
              return e;
            }
          })();
          expect(error).toBeInstanceOf(InvalidTransition);
          expect((error as InvalidTransition).details).toMatchObject({ from, action });
          expect((error as InvalidTransition).message).toContain(from);
          expect((error as InvalidTransition).details?.to).toEqual(expect.any(String));
        });
      } else {
        it(`${action} takes a ${from} listing to ${to}`, () => {
          expect(transition(from, action)).toBe(to);
        });
      }
    }
  }

  it("offers exactly the allowed actions", () => {
    for (const from of STATUSES) {
      expect(allowedActions(from)).toEqual(ACTIONS.filter((a) => EXPECTED[from][a] !== "-"));
    }
  });
});

/** A listing of a fresh host, brought into `status` through the service. */
async function listingIn(status: Status) {
  const owner = await newHost();
  const { actor, hostId } = owner;
  const { listingId } = await createComplete(actor, hostId);
  const steps: Record<Status, (() => Promise<unknown>)[]> = {
    DRAFT: [],
    IN_REVIEW: [() => Listing.submit(actor, hostId, listingId)],
    APPROVED: [
      () => Listing.submit(actor, hostId, listingId),
      () => Listing.approve(admin, listingId),
    ],
    REJECTED: [
      () => Listing.submit(actor, hostId, listingId),
      () => Listing.reject(admin, listingId, { reason: "Blurry" }),
    ],
    ONLINE: [
      () => Listing.submit(actor, hostId, listingId),
      () => Listing.approve(admin, listingId),
      () => Listing.publish(actor, hostId, listingId),
    ],
    OFFLINE: [
      () => Listing.submit(actor, hostId, listingId),
      () => Listing.approve(admin, listingId),
      () => Listing.publish(actor, hostId, listingId),
      () => Listing.unpublish(actor, hostId, listingId),
    ],
    ARCHIVED: [() => Listing.archive(actor, hostId, listingId)],
  };
  for (const step of steps[status]) await step();
  const listing = await Listing.get(actor, hostId, listingId);
  expect(listing.status).toBe(status);
  return { ...owner, listing };
}

/** Each action as the service performs it, on a listing in any status. */
const PERFORM: Record<Action, (l: Awaited<ReturnType<typeof listingIn>>) => Promise<unknown>> = {
  submit: ({ actor, hostId, listing }) => Listing.submit(actor, hostId, listing.listingId),
  approve: ({ listing }) => Listing.approve(admin, listing.listingId),
  reject: ({ listing }) => Listing.reject(admin, listing.listingId, { reason: "Not a real place" }),
  publish: ({ actor, hostId, listing }) => Listing.publish(actor, hostId, listing.listingId),
  unpublish: ({ actor, hostId, listing }) => Listing.unpublish(actor, hostId, listing.listingId),
  archive: ({ actor, hostId, listing }) => Listing.archive(actor, hostId, listing.listingId),
  editContent: ({ actor, hostId, listing }) =>
    Listing.update(actor, hostId, listing.listingId, { listingName: "Renamed" }, listing.version),
  editDetails: ({ actor, hostId, listing }) =>
    Listing.update(actor, hostId, listing.listingId, { checkInTime: "16:30" }, listing.version),
};

describe("the listing service follows the machine", () => {
  for (const from of STATUSES) {
    // Eight actions, each on a listing of its own host brought to `from` first: independent,
    // so they run at once. Dozens of transactions, some with a quota or an outbox item.
    it(`applies every action to a ${from} listing as the machine says`, {
      timeout: 120_000,
    }, async () => {
      const applyAction = async (action: Action) => {
        const subject = await listingIn(from);
        const to = EXPECTED[from][action];
        const outcome = await PERFORM[action](subject).then(
          () => "done",
          (error: unknown) => error,
        );
        const after = await Listing.get(subject.actor, subject.hostId, subject.listing.listingId);
        if (to === "-" && !(from === "ARCHIVED" && action === "archive")) {
          expect(outcome, `${from} ${action}`).toBeInstanceOf(InvalidTransition);
          expect(after.version, `${from} ${action} wrote nothing`).toBe(subject.listing.version);
        } else {
          // Archiving an archived listing is the one refused transition the service
          // answers with success: DELETE is idempotent.
          expect(outcome, `${from} ${action}`).toBe("done");
          expect(after.status, `${from} ${action}`).toBe(to === "-" ? from : to);
        }
        const searchable = (await Listing.search({ city: "zurich", limit: 100 })).items.some(
          (l) => l.listingId === after.listingId,
        );
        expect(searchable, `${from} ${action}: in search iff ONLINE`).toBe(
          after.status === "ONLINE",
        );
      };
      await Promise.all(ACTIONS.map(applyAction));
    });
  }
});
