import { describe, expect, it } from "vitest";
import { totpCode } from "../src/totp.js";

describe("totpCode", () => {
  // RFC 6238 appendix B (SHA-1): the ASCII secret "12345678901234567890", in base32.
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  it("gives the RFC 6238 codes (their last six digits)", () => {
    expect(totpCode(secret, 59_000)).toBe("287082");
    expect(totpCode(secret, 1_111_111_109_000)).toBe("081804");
    expect(totpCode(secret, 2_000_000_000_000)).toBe("279037");
  });

  it("refuses a secret that is not base32", () => {
    expect(() => totpCode("not base32!")).toThrow(/Not a base32 TOTP secret/);
  });
});
