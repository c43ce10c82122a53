import {
  fullDiff,
  type ResourceDifference,
  ResourceImpact,
  type TemplateDiff,
} from "@aws-cdk/cloudformation-diff";
import { describeDifference } from "./describe.js";
import { type Approval, approvalOf } from "./iam.js";
import { MATRIX, RISK_ORDER, type Risk, type RowId, rowOfType } from "./matrix.js";
import {
  cognitoSchemaRule,
  globalIndexRule,
  IMMUTABLE_PROPERTIES,
  PROTECTED_TYPES,
  type RuleResult,
} from "./rules.js";
import { isObject, type Json, type JsonObject, type Template } from "./side.js";

/**
 * One stack's normalised templates diffed with `fullDiff`: every change in a row of the
 * decision matrix (a resource whose changes span rows, like code and environment, gives
 * one change per row), what blocks the promotion, and broadened permissions.
 */
export type { Approval };

export type Action = "add" | "modify" | "remove" | "replace";

export interface Change {
  stack: string;
  logicalId: string;
  resourceType: string;
  action: Action;
  row: RowId;
  risk: Risk;
  details: string[];
  /** Allowed, but worth reading before deploying (irreversible, slow, replaced). */
  warnings: string[];
}

export interface HardStop {
  stack: string;
  logicalId: string;
  resourceType: string;
  reason: string;
}

export interface StackResult {
  changes: Change[];
  hardStops: HardStop[];
  approval?: Approval;
}

/** Metadata never reaches a resource; DependsOn only orders the deployment. */
const IGNORED_ATTRIBUTES = new Set(["Metadata", "DependsOn"]);
const TABLE_SCHEMA = new Set([
  "KeySchema",
  "AttributeDefinitions",
  "GlobalSecondaryIndexes",
  "LocalSecondaryIndexes",
]);

function rowOfProperty(type: string, name: string, properties: JsonObject): RowId {
  if (name === "Tags" || (type === "AWS::Cognito::UserPool" && name === "UserPoolTags")) {
    return "tags";
  }
  if (type === "AWS::Lambda::Function") {
    if (name === "Environment") return "environment";
    if (name !== "Code") return "lambda-config";
    const code = properties.Code;
    const isImage = properties.PackageType === "Image" || (isObject(code) && "ImageUri" in code);
    return isImage ? "docker-image" : "lambda-code";
  }
  if (type === "AWS::DynamoDB::Table" && TABLE_SCHEMA.has(name)) return "dynamodb-schema";
  return rowOfType(type, properties);
}

function atLeast(risk: Risk, floor: Risk): Risk {
  return RISK_ORDER[risk] >= RISK_ORDER[floor] ? risk : floor;
}

function propertiesOf(resource: Json | undefined): JsonObject {
  return isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
}

/** Replacement as the diff's database sees it, plus IMMUTABLE_PROPERTIES. */
function replacement(diff: ResourceDifference, type: string) {
  const reasons = Object.keys(diff.propertyUpdates)
    .filter((name) => IMMUTABLE_PROPERTIES[type]?.[name])
    .map((name) => `${name} ${IMMUTABLE_PROPERTIES[type]?.[name]}`);
  const impact = diff.changeImpact;
  if (impact === ResourceImpact.WILL_REPLACE || reasons.length) {
    const replacing = Object.entries(diff.propertyUpdates)
      .filter(([, update]) => update.changeImpact === ResourceImpact.WILL_REPLACE)
      .map(([name]) => `${name} can only change by replacing the resource`);
    return { kind: "will" as const, reasons: [...replacing, ...reasons] };
  }
  if (impact === ResourceImpact.MAY_REPLACE) {
    const maybe = Object.entries(diff.propertyUpdates)
      .filter(([, update]) => update.changeImpact === ResourceImpact.MAY_REPLACE)
      .map(([name]) => `${name} may replace the resource`);
    return { kind: "may" as const, reasons: maybe };
  }
  return undefined;
}

function classifyResource(stack: string, logicalId: string, diff: ResourceDifference) {
  const type = diff.newResourceType ?? diff.oldResourceType ?? "(unknown)";
  const before = propertiesOf(diff.oldValue as Json | undefined);
  const after = propertiesOf(diff.newValue as Json | undefined);
  const base = { stack, logicalId, resourceType: type };
  const changes: Change[] = [];
  const hardStops: HardStop[] = [];
  const protectedWhat = PROTECTED_TYPES[type];
  const stop = (reason: string) => hardStops.push({ ...base, reason });

  if (diff.isAddition || diff.isRemoval || diff.resourceTypeChanged) {
    const action: Action = diff.isAddition ? "add" : diff.isRemoval ? "remove" : "replace";
    const row = rowOfType(type, diff.isRemoval ? before : after);
    const retained = diff.isRemoval && diff.oldValue?.DeletionPolicy === "Retain";
    const details = diff.resourceTypeChanged
      ? [`Type: ${diff.oldResourceType} -> ${diff.newResourceType}`]
      : retained
        ? ["DeletionPolicy Retain: left in the account, no longer managed by the stack"]
        : [];
    if (protectedWhat && action !== "add") {
      stop(
        retained
          ? `would leave the stack (orphaned by DeletionPolicy Retain): the ${protectedWhat} would no longer be managed`
          : `would ${action === "remove" ? "delete" : "replace"} the ${protectedWhat}`,
      );
    }
    const risk = action === "add" ? MATRIX[row].risk : atLeast(MATRIX[row].risk, "Medium");
    changes.push({ ...base, action, row, risk, details, warnings: [] });
    return { changes, hardStops };
  }

  const replaced = replacement(diff, type);
  if (replaced && protectedWhat) {
    stop(
      `would ${replaced.kind === "may" ? "possibly " : ""}replace the ${protectedWhat} ` +
        `(${replaced.reasons.join("; ")})`,
    );
  }
  const rule: RuleResult =
    type === "AWS::DynamoDB::Table"
      ? globalIndexRule(before, after)
      : type === "AWS::Cognito::UserPool"
        ? cognitoSchemaRule(before, after)
        : { hardStops: [], warnings: [] };
  for (const reason of rule.hardStops) stop(reason);

  const byRow = new Map<RowId, string[]>();
  const add = (row: RowId, lines: string[]) =>
    byRow.set(row, [...(byRow.get(row) ?? []), ...lines]);
  for (const [name, update] of Object.entries(diff.propertyUpdates)) {
    add(
      rowOfProperty(type, name, after),
      describeDifference(update.oldValue as Json, update.newValue as Json, name),
    );
  }
  for (const [name, other] of Object.entries(diff.otherChanges)) {
    if (IGNORED_ATTRIBUTES.has(name)) continue;
    add(rowOfType(type, after), describeDifference(other.oldValue, other.newValue, name));
  }
  const action: Action = replaced ? "replace" : "modify";
  const replaceWarning = replaced
    ? [
        `${replaced.kind === "may" ? "may be" : "is"} replaced: ${replaced.reasons.join("; ")}` +
          " (a new resource is created and the old one deleted; a fixed physical name blocks it)",
      ]
    : [];
  for (const [row, details] of byRow) {
    const risk = replaced ? atLeast(MATRIX[row].risk, "Medium") : MATRIX[row].risk;
    const warnings = [...replaceWarning, ...(row === "tags" ? [] : rule.warnings)];
    changes.push({ ...base, action, row, risk, details, warnings });
  }
  return { changes, hardStops };
}

/** Output changes (exports other stacks may import): one pseudo-resource each. */
function outputChanges(stack: string, diff: TemplateDiff): Change[] {
  const changes: Change[] = [];
  diff.outputs.forEachDifference((key, output) => {
    const action: Action = output.isAddition ? "add" : output.isRemoval ? "remove" : "modify";
    changes.push({
      stack,
      logicalId: key,
      resourceType: "Output",
      action,
      row: "outputs",
      risk: MATRIX.outputs.risk,
      details: describeDifference(output.oldValue, output.newValue, "Value"),
      warnings:
        action !== "add" && (isObject(output.oldValue) ? output.oldValue.Export : undefined)
          ? ["an export another stack still imports cannot be changed or removed"]
          : [],
    });
  });
  for (const section of ["parameters", "conditions", "mappings"] as const) {
    diff[section].forEachDifference((key, difference) => {
      const row = rowOfSection(section, difference.newValue ?? difference.oldValue);
      changes.push({
        stack,
        logicalId: key,
        resourceType: section,
        action: difference.isAddition ? "add" : difference.isRemoval ? "remove" : "modify",
        row,
        risk: MATRIX[row].risk,
        details: describeDifference(difference.oldValue, difference.newValue, key),
        warnings: [],
      });
    });
  }
  return changes;
}

/** Diffs one stack's normalised templates (an absent side is an empty template). */
export function classifyStack(stack: string, before: Template, after: Template): StackResult {
  const diff = fullDiff(before, after);
  const changes: Change[] = [];
  const hardStops: HardStop[] = [];
  diff.resources.forEachDifference((logicalId, resource) => {
    const result = classifyResource(stack, logicalId, resource);
    changes.push(...result.changes);
    hardStops.push(...result.hardStops);
  });
  changes.push(...outputChanges(stack, diff));
  const approval = approvalOf(stack, diff);
  return { changes, hardStops, ...(approval ? { approval } : {}) };
}

/** A template parameter CloudFormation fills from SSM at deploy time is an SSM change. */
function rowOfSection(section: "parameters" | "conditions" | "mappings", value: unknown): RowId {
  const type = section === "parameters" && isObject(value) ? value.Type : undefined;
  return typeof type === "string" && type.startsWith("AWS::SSM::Parameter::") ? "ssm" : "other";
}
