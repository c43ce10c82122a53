/**
 * Prices travel in minor units (cents, Rappen; integers). Hosts type and guests read major
 * units, with as many decimals as the currency has (CHF 2, JPY 0), which Intl knows.
 */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

export type MinorResult = { ok: true; value: number } | { ok: false; message: string };

/** "180.5" CHF -> 18050. Accepts a comma as the decimal separator. */
export function toMinor(text: string, currency: string): MinorResult {
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return { ok: false, message: "must be an amount such as 120 or 120.50" };
  const digits = currencyDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits ? `must have at most ${digits} decimals` : "must be a whole amount",
    };
  }
  return { ok: true, value: Number(`${match[1]}${fraction.padEnd(digits, "0")}`) };
}

/** 18050 CHF -> "180.50", for an input field. */
export function fromMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** 18050 CHF -> "CHF 180.50", for reading. */
export function formatPrice(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${currency} ${fromMinor(minor, currency)}`;
  }
}
