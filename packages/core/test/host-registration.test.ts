import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Host } from "../src/index.js";

const { registrationOf, normaliseDisplayName, DISPLAY_NAME_MAX_LENGTH, FALLBACK_DISPLAY_NAME } =
  Host;
const sub = "2f4c1b7e-0000-4000-8000-000000000001";

describe("a confirmed Cognito user's Host registration", () => {
  it.each([
    ["a name of one space", " ", "ana"],
    ["a name with a tab inside", "Ana\tMaria", "Ana Maria"],
    ["a name with a newline and padding", "  Ana\r\n Maria  ", "Ana Maria"],
    ["a NUL and a DEL", "A\u0000n\u007fa", "A n a"],
    ["an unpaired surrogate", "Ana\ud800", "Ana"],
    ["no name at all", undefined, "ana"],
    ["a decomposed accent", "Jose\u0301", "Jos\u00e9"],
  ])("keeps %s readable", (_, name, displayName) => {
    expect(registrationOf({ sub, email: "ana@example.com", name })).toEqual({
      cognitoSub: sub,
      email: "ana@example.com",
      displayName,
    });
  });

  it("cuts an 81-character name to 80", () => {
    const { displayName } = registrationOf({ sub, email: "a@b.c", name: "x".repeat(81) });
    expect(displayName).toBe("x".repeat(DISPLAY_NAME_MAX_LENGTH));
  });

  it("never cuts inside an emoji or an accented letter", () => {
    const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}"; // 8 code units, one grapheme
    const name = `${"x".repeat(75)}${family}`;
    expect(normaliseDisplayName(name)).toBe("x".repeat(75));
    expect(normaliseDisplayName(`${"x".repeat(79)}e\u0301`)).toBe(`${"x".repeat(79)}\u00e9`);
  });

  it("keeps the e-mail exactly as Cognito holds it, including one z.email() refuses", () => {
    for (const email of ["josé@example.com", "Ana.Maria+stays@Example.COM", '"a@b"@example.com']) {
      expect(registrationOf({ sub, email }).email).toBe(email);
    }
    expect(registrationOf({ sub, email: '"a@b"@example.com' }).displayName).toBe('"a@b"');
    expect(
      Host.RegisterInput.safeParse({ cognitoSub: sub, email: "josé@example.com" }).success,
    ).toBe(true);
  });

  it("falls back to the e-mail's local part, then to a fixed name", () => {
    expect(registrationOf({ sub, email: "josé@example.com", name: "\t" }).displayName).toBe("josé");
    expect(registrationOf({ sub, email: "\u0000@example.com", name: " " }).displayName).toBe(
      FALLBACK_DISPLAY_NAME,
    );
  });

  it("refuses only a user without sub or email, which the pool's schema rules out", () => {
    expect(() => registrationOf({ email: "a@b.c" })).toThrow(Host.IncompleteCognitoUser);
    expect(() => registrationOf({ sub })).toThrow(Host.IncompleteCognitoUser);
  });

  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme", maxLength: 120 }),
    fc.string({ unit: "binary", maxLength: 120 }),
    fc.string({ minLength: 70, maxLength: 300 }),
  );
  const anyEmail = fc.oneof(
    fc.emailAddress(),
    fc.tuple(anyText, anyText).map(([local, domain]) => `${local}@${domain}`),
  );

  it("turns any name and e-mail Cognito could hold into a valid Host registration", () => {
    fc.assert(
      fc.property(fc.option(anyText, { nil: undefined }), anyEmail, (name, email) => {
        const registration = registrationOf({ sub, email, name });
        expect(Host.RegisterInput.safeParse(registration).success).toBe(true);
        // What the trigger keeps, the profile API would accept as it is.
        expect(Host.DisplayName.parse(registration.displayName)).toBe(registration.displayName);
        expect(registration.displayName.length).toBeLessThanOrEqual(DISPLAY_NAME_MAX_LENGTH);
        expect(registration.email).toBe(email);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves a normalised name as it is", () => {
    fc.assert(
      fc.property(anyText, (name) => {
        const once = normaliseDisplayName(name);
        expect(normaliseDisplayName(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
