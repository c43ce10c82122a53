/** What promote-check compares: two synthesized versions of the app, one per "side". */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
/** A CloudFormation template (or any part of one). */
export type Template = JsonObject;

export interface SideStack {
  /** The CloudFormation stack name, `LocalstaysStagingApiStack`. */
  stackName: string;
  template: Template;
}

export interface Side {
  /** How the report names this side: `dev1`, `origin/staging (3f2c1a9) as staging`. */
  label: string;
  stage: string;
  account: string;
  region: string;
  /** By stack id, the id SST's `deploy <filter>` takes (`Api`). */
  stacks: Record<string, SideStack>;
  /**
   * Asset hash (as the templates reference it) -> fingerprint of the asset's contents with
   * the stage-derived bits left out. Absent when only the templates are known.
   */
  assets?: Record<string, string>;
  /** stacks/stage.ts's settings of this side's stage, flattened (`features.ENABLE_FEATURE_X`). */
  settings?: Record<string, string>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of `value` with every string passed through `map` (keys are left alone). */
export function mapStrings(value: Json, map: (text: string) => string): Json {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]),
    );
  }
  return value;
}

/** `{ a: { b: 1 }, c: [2] }` -> `{ "a.b": "1", "c": "[2]" }`: settings, for the report. */
export function flatten(value: unknown, prefix = ""): Record<string, string> {
  if (isObject(value)) {
    return Object.assign(
      {},
      ...Object.entries(value).map(([key, item]) =>
        flatten(item, prefix ? `${prefix}.${key}` : key),
      ),
    );
  }
  return { [prefix]: typeof value === "string" ? value : JSON.stringify(value) };
}
