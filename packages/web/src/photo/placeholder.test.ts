import { describe, expect, it } from "vitest";
import { placeholderColor } from "./placeholder.js";

describe("placeholderColor", () => {
  it("reads the average colour the way thumbhash's thumbHashToAverageRGBA does", () => {
    // A demo photo's hash; thumbhash gives r 0.685, g 0.669, b 0.693, a 1 for it.
    expect(placeholderColor("6wcSHYp3iHiPeIeFh3h3iGhwffd4")).toBe("rgb(175 171 177 / 1.00)");
  });

  it("gives nothing for a string that is not a hash", () => {
    expect(placeholderColor("")).toBeUndefined();
    expect(placeholderColor("not base64!")).toBeUndefined();
  });
});
