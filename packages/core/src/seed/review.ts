/**
 * What admins write in review: the reasons a listing is rejected for (each with the flaw that
 * earns it and the host's fix) and the notes that come with an approval.
 */
import type { CreateInput, UpdateInput } from "../listing/schema.js";
import type { Complete } from "./content.js";

/** A reason an admin gives, the flaw that earns it, and the host's fix. */
export interface Rejection {
  reason: string;
  flaw(content: Complete): CreateInput;
  fix(content: Complete): UpdateInput;
}

export const REJECTIONS: readonly Rejection[] = [
  {
    reason:
      "Please add house rules, so guests know what to expect (smoking, parties, quiet hours).",
    flaw: ({ houseRules: _, ...rest }) => rest,
    fix: ({ houseRules }) => ({ houseRules }),
  },
  {
    reason:
      "The description is too short to book on: please describe the rooms, the beds and the neighbourhood.",
    flaw: (c) => ({ ...c, description: `${c.description.split(". ")[0]}.` }),
    fix: ({ description }) => ({ description }),
  },
  {
    reason: "Please write the listing name in normal capitalisation, not in capitals.",
    flaw: (c) => ({ ...c, listingName: c.listingName.toUpperCase() }),
    fix: ({ listingName }) => ({ listingName }),
  },
  {
    reason: "The capacity does not add up: the listing sleeps more guests than its beds allow.",
    flaw: (c) => ({
      ...c,
      capacity: { ...c.capacity, guests: Math.min(50, c.capacity.beds * 2 + 3) },
    }),
    fix: ({ capacity }) => ({ capacity }),
  },
];

export const APPROVAL_NOTES = [
  "Looks great, welcome aboard!",
  "Approved. Consider adding check-in instructions to the house rules.",
  "Lovely place. Approved.",
];
