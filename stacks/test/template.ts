import type { CfnTemplate, StackId, SynthResult } from "../synth.js";

/** Small queries over synthesized CloudFormation, shared by the per-stage specs. */
export interface Resource {
  stack: StackId;
  logicalId: string;
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are arbitrary JSON.
  Properties: Record<string, any>;
  DeletionPolicy?: string;
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

/** Our own functions, as opposed to SST's and CDK's framework functions. */
export function appFunctions(result: SynthResult): Resource[] {
  return resources(result, "AWS::Lambda::Function").filter((fn) =>
    String(fn.Properties.Handler ?? "").startsWith("packages/functions/"),
  );
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
