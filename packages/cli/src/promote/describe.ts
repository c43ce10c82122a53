import { isObject, type Json } from "./side.js";

/**
 * One line per changed leaf of a property: `Environment.Variables.ENABLE_FEATURE_X: "true"
 * -> "false"`. Lists of named things (indexes, attributes, tags) are matched by name, so
 * inserting one shows as one addition, not as every later element changing.
 */
const IDENTITY_KEYS = ["IndexName", "AttributeName", "Name", "Key", "Id", "Sid"];
const MAX_VALUE = 80;
const MAX_LINES = 12;

export function formatValue(value: Json | undefined): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function identityKey(items: Json[]): string | undefined {
  return IDENTITY_KEYS.find((key) =>
    items.every((item) => isObject(item) && typeof item[key] === "string"),
  );
}

function walk(before: Json | undefined, after: Json | undefined, at: string, out: string[]) {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (before === undefined) {
    out.push(`${at}: + ${formatValue(after)}`);
    return;
  }
  if (after === undefined) {
    out.push(`${at}: - ${formatValue(before)}`);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], at ? `${at}.${key}` : key, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = identityKey([...before, ...after]);
    if (key) {
      const byKey = (items: Json[]) =>
        new Map(items.map((item) => [String((item as Record<string, Json>)[key]), item]));
      const [old, now] = [byKey(before), byKey(after)];
      for (const name of [...new Set([...old.keys(), ...now.keys()])]) {
        walk(old.get(name), now.get(name), `${at}[${name}]`, out);
      }
      return;
    }
    if (before.length === after.length) {
      before.forEach((item, index) => {
        walk(item, after[index], `${at}[${index}]`, out);
      });
      return;
    }
    // Lengths differ: which elements went and which came (policy statements, rules).
    const text = (items: Json[]) => items.map((item) => JSON.stringify(item));
    const [old, now] = [text(before), text(after)];
    for (const item of old.filter((entry) => !now.includes(entry))) {
      out.push(`${at}: - ${formatValue(JSON.parse(item) as Json)}`);
    }
    for (const item of now.filter((entry) => !old.includes(entry))) {
      out.push(`${at}: + ${formatValue(JSON.parse(item) as Json)}`);
    }
    return;
  }
  out.push(`${at}: ${formatValue(before)} -> ${formatValue(after)}`);
}

export function describeDifference(
  before: Json | undefined,
  after: Json | undefined,
  at: string,
): string[] {
  const lines: string[] = [];
  walk(before, after, at, lines);
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `… and ${lines.length - MAX_LINES + 1} more`];
}
