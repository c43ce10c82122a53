import { describe, expect, it } from "vitest";
import { editRule, hostActions } from "./actions.js";

describe("hostActions", () => {
  it("offers submit on a draft, never the admin's approve or reject", () => {
    expect(hostActions("DRAFT")).toEqual(["submit", "archive"]);
    expect(hostActions("IN_REVIEW")).toEqual(["archive"]);
  });

  it("offers publish once approved and while offline, unpublish while online", () => {
    expect(hostActions("APPROVED")).toEqual(["publish", "archive"]);
    expect(hostActions("ONLINE")).toEqual(["unpublish", "archive"]);
    expect(hostActions("OFFLINE")).toEqual(["publish", "archive"]);
  });

  it("offers nothing on an archived listing", () => {
    expect(hostActions("ARCHIVED")).toEqual([]);
  });
});

describe("editRule", () => {
  it("lets a draft change anything without a review", () => {
    expect(editRule("DRAFT")).toEqual({
      canEdit: true,
      canEditContent: true,
      contentNeedsReview: false,
    });
  });

  it("allows only details while in review", () => {
    expect(editRule("IN_REVIEW")).toEqual({
      canEdit: true,
      canEditContent: false,
      contentNeedsReview: false,
    });
  });

  it("warns that content changes of a live listing go back to review", () => {
    expect(editRule("ONLINE").contentNeedsReview).toBe(true);
    expect(editRule("REJECTED").contentNeedsReview).toBe(false);
  });

  it("allows no edit of an archived listing", () => {
    expect(editRule("ARCHIVED").canEdit).toBe(false);
  });
});
