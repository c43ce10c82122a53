import { describe, expect, it } from "vitest";
import { formatPrice, fromMinor, toMinor } from "./money.js";

describe("prices", () => {
  it("turns what a host types into minor units of the currency", () => {
    expect(toMinor("180", "CHF")).toEqual({ ok: true, value: 18000 });
    expect(toMinor("180.5", "CHF")).toEqual({ ok: true, value: 18050 });
    expect(toMinor(" 99,95 ", "EUR")).toEqual({ ok: true, value: 9995 });
    expect(toMinor("12000", "JPY")).toEqual({ ok: true, value: 12000 });
  });

  it("refuses amounts that are not plain numbers or have too many decimals", () => {
    expect(toMinor("ten", "CHF")).toMatchObject({ ok: false });
    expect(toMinor("-5", "CHF")).toMatchObject({ ok: false });
    expect(toMinor("1.234", "CHF")).toEqual({ ok: false, message: "must have at most 2 decimals" });
    expect(toMinor("100.5", "JPY")).toEqual({ ok: false, message: "must be a whole amount" });
  });

  it("shows minor units back in major units", () => {
    expect(fromMinor(18050, "CHF")).toBe("180.50");
    expect(fromMinor(12000, "JPY")).toBe("12000");
    expect(formatPrice(18050, "EUR")).toBe("€180.50");
  });

  it("still shows a price whose currency Intl does not know", () => {
    expect(formatPrice(500, "ZZZ")).toMatch(/5\.00$/);
  });
});
