import { describe, expect, it } from "vitest";
import { ApiError, describeError, fieldErrorsOf, isVersionConflict, THROTTLED } from "./errors.js";

describe("describeError", () => {
  it("says when the server could not be reached", () => {
    expect(describeError(new ApiError(0, "NETWORK_ERROR", "Failed to fetch"))).toBe(
      "Could not reach the server. Check your connection and try again.",
    );
  });

  it("names the fields a validation error is about, in the form's words", () => {
    const error = new ApiError(400, "VALIDATION_ERROR", "The listing is not complete", {
      fields: { photos: ["is required to submit"], "address.city": ["must not be empty"] },
    });
    expect(describeError(error)).toBe(
      "Please check: Photos is required to submit; City must not be empty.",
    );
  });

  it("explains a refused status change with the statuses' names", () => {
    const error = new ApiError(409, "INVALID_TRANSITION", "Cannot publish: DRAFT -> ONLINE", {
      from: "DRAFT",
      to: "ONLINE",
      action: "publish",
    });
    expect(describeError(error)).toBe(
      "You cannot publish a listing that is draft. Reload to see its current status.",
    );
  });

  it("offers a reload on a version conflict, from a 409 or a 412", () => {
    const conflict = new ApiError(409, "VERSION_CONFLICT", "The item is at version 4, not 3");
    expect(isVersionConflict(conflict)).toBe(true);
    expect(isVersionConflict(new ApiError(412, "PRECONDITION_FAILED", ""))).toBe(true);
    expect(isVersionConflict(new ApiError(409, "CONFLICT", ""))).toBe(false);
    expect(describeError(conflict)).toMatch(/changed elsewhere.*Reload/);
  });

  it("maps the other codes to sentences and keeps a 500's request id", () => {
    expect(
      describeError(new ApiError(401, "UNAUTHORIZED", "A valid bearer token is required")),
    ).toBe("Your session has expired. Please sign in again.");
    expect(describeError(new ApiError(403, "FORBIDDEN", "x"))).toBe(
      "You do not have permission to do that.",
    );
    expect(
      describeError(new ApiError(500, "INTERNAL_ERROR", "Internal error (request abc-1)")),
    ).toBe("Something went wrong on our side. Please try again (reference abc-1).");
    expect(describeError(new ApiError(409, "CONFLICT", "The listing is archived"))).toBe(
      "The listing is archived",
    );
  });
});

describe("describeError on 429s", () => {
  it("asks to wait a moment when the API throttles", () => {
    expect(describeError(new ApiError(429, THROTTLED, "Too many requests"))).toBe(
      "The service is busy right now. Please wait a few seconds and try again.",
    );
  });

  it("names a quota, its limit and when to try again, or that support raises it", () => {
    const pending = new ApiError(429, "QUOTA_EXCEEDED", "used up", {
      quota: "pendingUploads",
      limit: 30,
      freesAt: "2026-12-02T16:20:00.000Z",
    });
    expect(describeError(pending)).toMatch(
      /^You have reached the limit of 30 photos waiting to be processed\. Try again after .+\.$/,
    );
    const listings = new ApiError(429, "QUOTA_EXCEEDED", "used up", {
      quota: "listings",
      limit: 200,
      freesAt: null,
    });
    expect(describeError(listings)).toBe(
      "You have reached the limit of 200 listings. Contact support to have it raised.",
    );
  });
});

describe("fieldErrorsOf", () => {
  it("reads details.fields of a validation error only", () => {
    const fields = { "pricing.nightlyPrice": ["must be at least 1"] };
    expect(fieldErrorsOf(new ApiError(400, "VALIDATION_ERROR", "", { fields }))).toEqual(fields);
    expect(fieldErrorsOf(new ApiError(409, "CONFLICT", "", { fields }))).toEqual({});
    expect(fieldErrorsOf(new Error("x"))).toEqual({});
  });
});
