import { describe, expect, it } from "vitest";
import { amenityLabel, describeMissing, fieldLabel } from "./labels.js";

describe("labels", () => {
  it("names amenities the way people write them", () => {
    expect(amenityLabel("air_conditioning")).toBe("Air conditioning");
    expect(amenityLabel("wifi")).toBe("Wi-Fi");
    expect(amenityLabel("ev_charger")).toBe("EV charger");
  });

  it("says what a listing still needs before submit", () => {
    expect(describeMissing(["pricing", "photos"])).toBe(
      "a nightly price, at least one processed photo",
    );
  });

  it("names nested fields by their form label, unknown ones by their path", () => {
    expect(fieldLabel("address.country")).toBe("Country code");
    expect(fieldLabel("somethingNew")).toBe("somethingNew");
  });
});
