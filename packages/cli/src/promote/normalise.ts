import { isObject, type JsonObject, mapStrings, type Side, type Template } from "./side.js";

/**
 * Templates of two sides made comparable: what differs only because the stage (or its
 * account and region) differs is rewritten to the same placeholder on both sides, so that
 * `fullDiff` reports what actually changes.
 *
 * - Stage names: `dev1`, `Dev1` (in `LocalstaysDev1ApiStack`) -> `<stage>`, `<Stage>`.
 * - Account id and region -> `<account>`, `<region>` (the report states both targets).
 * - Asset hashes -> `<asset:fingerprint>` when both sides know their assets' contents. A
 *   hash alone cannot be compared across stages: SST puts the stack name into its
 *   custom-resource handler's hash and npm writes the function's construct address
 *   (stage-derived) into each bundle's package-lock.json. The fingerprint (assets.ts) hashes
 *   the contents without those, so a code change still shows and a stage rename does not.
 *   Without fingerprints (a side synthesized from another commit) the hashes stay: both
 *   sides are then the same stage, whose hashes are comparable as they are.
 * - SST construct addresses (`c8` + 40 hex, derived from the stack name) -> `<addr>`.
 * - Resource `Metadata` (cdk-nag reasons, CDK paths), the template's `Metadata` and SST's
 *   `SSTMetadata` output (its console's bookkeeping) are dropped: none reaches a resource.
 * - `DeletionPolicy`/`UpdateReplacePolicy` "Delete", CloudFormation's default, is dropped.
 *
 * Names the stage shaped beyond a substitution (hashed, cut) are matched up in align.ts.
 */
export const STAGE = "<stage>";
export const PASCAL_STAGE = "<Stage>";

export interface NormaliseOptions {
  /** Replace asset hashes by content fingerprints (both sides must have them). */
  fingerprints: boolean;
}

const ASSET_HASH = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g;
const SST_ADDR = /(?<![0-9a-f])c8[0-9a-f]{40}(?![0-9a-f])/g;

export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function pascal(stage: string): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1);
}

/** The side's stage, account and region, as whole tokens (never inside a longer word or hash). */
function stageReplacer(side: Side): (text: string) => string {
  const lower = new RegExp(`(?<![A-Za-z0-9])${literal(side.stage)}(?![a-z0-9])`, "g");
  const upper = new RegExp(`(?<![A-Z])${literal(pascal(side.stage))}(?![a-z0-9])`, "g");
  const account = new RegExp(`(?<![0-9])${literal(side.account)}(?![0-9])`, "g");
  const region = new RegExp(`(?<![a-z0-9])${literal(side.region)}(?![0-9])`, "g");
  return (text) =>
    text
      .replace(account, "<account>")
      .replace(region, "<region>")
      .replace(upper, PASCAL_STAGE)
      .replace(lower, STAGE);
}

/** CloudFormation snapshots these when no policy is given; everything else it deletes. */
const SNAPSHOT_BY_DEFAULT = new Set(["AWS::RDS::DBCluster", "AWS::RDS::DBInstance"]);

/**
 * `DeletionPolicy: Delete` stated (SST's app-wide "destroy" in dev stages) and left out
 * (prod keeps CDK's defaults) are the same policy: CloudFormation's default.
 */
function withoutDefaultPolicies(resource: JsonObject): JsonObject {
  if (SNAPSHOT_BY_DEFAULT.has(String(resource.Type))) return resource;
  const { DeletionPolicy, UpdateReplacePolicy, ...rest } = resource;
  return {
    ...rest,
    ...(DeletionPolicy !== undefined && DeletionPolicy !== "Delete" ? { DeletionPolicy } : {}),
    ...(UpdateReplacePolicy !== undefined && UpdateReplacePolicy !== "Delete"
      ? { UpdateReplacePolicy }
      : {}),
  };
}

export function normaliseTemplate(side: Side, template: Template, options: NormaliseOptions) {
  const assets = options.fingerprints ? side.assets : undefined;
  const stage = stageReplacer(side);
  const map = (text: string) =>
    stage(
      text
        .replace(ASSET_HASH, (hash) => {
          const fingerprint = assets?.[hash];
          return fingerprint ? `<asset:${fingerprint.slice(0, 16)}>` : hash;
        })
        .replace(SST_ADDR, "<addr>"),
    );

  const { Metadata: _metadata, Resources, Outputs, ...rest } = template;
  const resources = Object.fromEntries(
    Object.entries(isObject(Resources) ? Resources : {}).map(([id, resource]) => {
      if (!isObject(resource)) return [id, resource];
      const { Metadata: _resourceMetadata, ...kept } = withoutDefaultPolicies(resource);
      // Keys too: a logical id may carry the stage, like the Refs that point at it.
      return [stage(id), mapStrings(kept, map)];
    }),
  );
  const outputs = Object.fromEntries(
    Object.entries(isObject(Outputs) ? Outputs : {})
      .filter(([key]) => key !== "SSTMetadata")
      .map(([key, output]) => [stage(key), mapStrings(output, map)]),
  );
  return {
    ...(mapStrings(rest, map) as Template),
    Resources: resources,
    ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
  } as Template;
}
