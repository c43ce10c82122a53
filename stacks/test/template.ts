import type { CfnTemplate, StackId, SynthResult } from "../synth.js";

/** Small queries over synthesized CloudFormation, shared by the per-stage specs. */
export interface Resource {
  stack: StackId;
  logicalId: string;
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are arbitrary JSON.
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  DependsOn?: string[];
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation metadata is arbitrary JSON.
  Metadata?: Record<string, any>;
}

export function resources(result: SynthResult, type?: string, stack?: StackId): Resource[] {
  return Object.entries(result.stacks).flatMap(([id, { template }]) =>
    stack && id !== stack
      ? []
      : Object.entries((template as CfnTemplate).Resources ?? {})
          .map(([logicalId, resource]) => {
            const cfn = resource as Omit<Resource, "stack" | "logicalId">;
            return { ...cfn, stack: id as StackId, logicalId, Properties: cfn.Properties ?? {} };
          })
          .filter((resource) => !type || resource.Type === type),
  );
}

export function only(result: SynthResult, type: string, stack?: StackId): Resource {
  const found = resources(result, type, stack);
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  return found[0] as Resource;
}

/** Tags as a map, whichever shape the resource type uses (list of Key/Value, map, UserPoolTags). */
export function tagsOf(resource: Resource): Record<string, unknown> | undefined {
  const tags = resource.Properties.Tags ?? resource.Properties.UserPoolTags;
  if (tags === undefined) return undefined;
  if (Array.isArray(tags)) {
    return Object.fromEntries(
      tags.map((tag: { Key: string; Value: unknown }) => [tag.Key, tag.Value]),
    );
  }
  return tags;
}

/** Our own zip functions (Node.js handlers), as opposed to SST's and CDK's framework functions. */
export function appFunctions(result: SynthResult): Resource[] {
  return resources(result, "AWS::Lambda::Function").filter((fn) =>
    String(fn.Properties.Handler ?? "").startsWith("packages/functions/"),
  );
}

/** Our container-image functions (no Handler: the image's CMD names it). */
export function imageFunctions(result: SynthResult): Resource[] {
  return resources(result, "AWS::Lambda::Function").filter(
    (fn) => fn.Properties.PackageType === "Image",
  );
}

export interface Statement {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: unknown;
  // biome-ignore lint/suspicious/noExplicitAny: a condition block is arbitrary JSON.
  Condition?: Record<string, any>;
  Principal?: unknown;
}

/** Every statement of the identity policies attached to a function's role. */
export function roleStatements(result: SynthResult, fn: Resource): Statement[] {
  const role = fn.Properties.Role["Fn::GetAtt"][0];
  return resources(result, "AWS::IAM::Policy", fn.stack)
    .filter((policy) => refersTo(policy.Properties.Roles, role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export function actionsOf(statement: Statement): string[] {
  return [statement.Action].flat();
}

/**
 * `<photos>/uploads/*` for an object ARN of the photo bucket (a Join of its ARN, by GetAtt
 * or cross-stack import, and a key pattern); anything else as JSON.
 */
export function photoObjectArn(resource: unknown): string {
  const parts = (resource as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"]?.[1];
  if (!parts || !refersTo(parts[0], "PhotosBucket")) return JSON.stringify(resource);
  return `<photos>${parts.slice(1).join("")}`;
}

/** The S3 grants among `statements`, as `{ actions, resources }` with readable ARNs. */
export function s3Grants(statements: Statement[]): { actions: string[]; resources: string[] }[] {
  return statements
    .filter((statement) => actionsOf(statement).some((action) => action.startsWith("s3:")))
    .map((statement) => ({
      actions: actionsOf(statement).sort(),
      resources: [statement.Resource].flat().map(photoObjectArn).sort(),
    }));
}

export interface Suppression {
  id: string;
  reason: string;
  where: string;
}

/** Every cdk-nag suppression recorded in the templates (resource and stack metadata). */
export function suppressions(result: SynthResult): Suppression[] {
  const fromResources = resources(result).flatMap((resource) =>
    ((resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map((rule) => ({
      id: rule.id,
      reason: rule.reason,
      where: `${resource.stack}/${resource.logicalId}`,
    })),
  );
  const fromStacks = Object.entries(result.stacks).flatMap(([id, { template }]) =>
    ((template.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Suppression[]).map((rule) => ({
      id: rule.id,
      reason: rule.reason,
      where: id,
    })),
  );
  return [...fromResources, ...fromStacks];
}

/** `{ "Fn::ImportValue": ... }`, `{ Ref }` and plain strings, for comparing references. */
export function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value).includes(logicalId);
}

/**
 * The CloudFormation parameter through which a stack reads the stage's table setting
 * (stacks/table-setting.ts): functions' TABLE_NAME and table grants refer to it.
 */
export const STAGE_TABLE_PARAMETER = "StageTableName";
/** The template parameter through which a stack reads the stage's table stream setting. */
export const STAGE_STREAM_PARAMETER = "StageTableStreamArn";
