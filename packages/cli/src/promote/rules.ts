import { isObject, type Json, type JsonObject } from "./side.js";

/**
 * What CloudFormation and the services refuse or destroy, beyond what
 * `@aws-cdk/cloudformation-diff`'s resource database knows. Each rule returns the reasons it
 * blocks a promotion (a hard stop) or, for what is allowed but irreversible, warnings.
 */

/** Resources whose replacement or deletion loses data or everything encrypted with them. */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
  "AWS::DynamoDB::Table": "table and its items",
  "AWS::DynamoDB::GlobalTable": "table and its items",
  "AWS::S3::Bucket": "bucket and its objects",
  "AWS::Cognito::UserPool": "user pool and every user account (passwords cannot be exported)",
  "AWS::KMS::Key": "key: whatever it encrypts becomes unreadable once it is deleted",
};

/**
 * Properties CloudFormation's documentation marks "Update requires: Replacement" (or whose
 * update fails, for KMS) that the diff's resource database does not flag.
 */
export const IMMUTABLE_PROPERTIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "AWS::Cognito::UserPool": {
    UsernameAttributes: "replaces the user pool",
    AliasAttributes: "replaces the user pool",
    UsernameConfiguration: "replaces the user pool",
  },
  "AWS::DynamoDB::Table": {
    LocalSecondaryIndexes: "replaces the table (local indexes exist only from creation)",
  },
  "AWS::KMS::Key": {
    KeySpec: "cannot change on an existing key (the update fails)",
    KeyUsage: "cannot change on an existing key (the update fails)",
    MultiRegion: "cannot change on an existing key (the update fails)",
    Origin: "cannot change on an existing key (the update fails)",
  },
};

export interface RuleResult {
  hardStops: string[];
  warnings: string[];
}

const none = (): RuleResult => ({ hardStops: [], warnings: [] });

function namedList(value: Json | undefined, key: string): Map<string, JsonObject> {
  const items = Array.isArray(value) ? value.filter(isObject) : [];
  return new Map(items.map((item) => [String(item[key]), item]));
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * DynamoDB creates or deletes one global secondary index per UpdateTable call, and
 * CloudFormation makes one call per stack update: two at once fail the deployment. An
 * existing index's key schema or projection cannot be changed at all (only throughput).
 */
export function globalIndexRule(before: JsonObject, after: JsonObject): RuleResult {
  const result = none();
  const old = namedList(before.GlobalSecondaryIndexes, "IndexName");
  const now = namedList(after.GlobalSecondaryIndexes, "IndexName");
  const created = [...now.keys()].filter((name) => !old.has(name));
  const deleted = [...old.keys()].filter((name) => !now.has(name));
  if (created.length + deleted.length > 1) {
    const parts = [
      created.length ? `creates ${created.join(", ")}` : "",
      deleted.length ? `deletes ${deleted.join(", ")}` : "",
    ].filter(Boolean);
    result.hardStops.push(
      `${parts.join(" and ")} in one update: DynamoDB allows one global secondary index ` +
        "created or deleted per update. Split it into one deploy per index.",
    );
  }
  for (const [name, index] of old) {
    const next = now.get(name);
    if (!next) continue;
    if (!same(index.KeySchema, next.KeySchema) || !same(index.Projection, next.Projection)) {
      result.hardStops.push(
        `changes the key schema or projection of ${name}, which DynamoDB cannot do in place: ` +
          "add an index under a new name, move the readers, then delete the old one (one deploy each).",
      );
    }
  }
  if (created.length === 1) {
    result.warnings.push(
      `creates ${created[0]}: the index backfills before it is ACTIVE (hours on a large table); ` +
        "deploy readers of it only after that.",
    );
  }
  return result;
}

const STANDARD_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "sub",
  "updated_at",
  "website",
  "zoneinfo",
]);

/**
 * Cognito never changes or removes an attribute of an existing pool, and standard
 * attributes are fixed at creation; the only schema change it accepts is a new custom
 * attribute (which can then never be removed). Anything else needs a new pool.
 */
export function cognitoSchemaRule(before: JsonObject, after: JsonObject): RuleResult {
  const result = none();
  const old = namedList(before.Schema, "Name");
  const now = namedList(after.Schema, "Name");
  for (const [name, attribute] of old) {
    const next = now.get(name);
    if (!next) {
      result.hardStops.push(
        `removes the attribute ${name} from the user pool schema: Cognito cannot remove an ` +
          "attribute; only a new user pool (replacement) would drop it.",
      );
    } else if (!same(attribute, next)) {
      result.hardStops.push(
        `changes the attribute ${name} (${describeAttribute(attribute)} -> ${describeAttribute(next)}): ` +
          "Cognito cannot modify an existing attribute; only a new user pool (replacement) would.",
      );
    }
  }
  for (const name of [...now.keys()].filter((key) => !old.has(key))) {
    if (STANDARD_ATTRIBUTES.has(name)) {
      result.hardStops.push(
        `configures the standard attribute ${name}, which is fixed when the pool is created: ` +
          "only a new user pool (replacement) would take it.",
      );
    } else {
      result.warnings.push(`adds the custom attribute ${name}: it can never be removed again.`);
    }
  }
  return result;
}

function describeAttribute(attribute: JsonObject): string {
  const { Name: _name, ...rest } = attribute;
  return JSON.stringify(rest);
}
