import { DISPLAY_NAME_MAX_LENGTH } from "@localstays/core/host/registration";
import { describe, expect, it } from "vitest";
import { signUpAttributes } from "./sign-up.js";

describe("signUpAttributes", () => {
  it("sends the name as the host record keeps it", () => {
    expect(signUpAttributes({ name: "  Ana\tMaria ", email: "ana@example.com" })).toEqual({
      email: "ana@example.com",
      name: "Ana Maria",
    });
    const long = signUpAttributes({ name: "x".repeat(200), email: "a@b.c" });
    expect(long.name).toHaveLength(DISPLAY_NAME_MAX_LENGTH);
  });

  it("leaves out a name with nothing readable in it", () => {
    expect(signUpAttributes({ name: " \t ", email: "josé@example.com" })).toEqual({
      email: "josé@example.com",
    });
  });
});
