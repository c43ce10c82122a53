import { isObject, type Json, type JsonObject, type Template } from "../promote/side.js";

/**
 * What a stage should look like, read from its synthesized templates (never from a list kept
 * by hand, so a function or route added later is verified without touching this code): the
 * HTTP API routes with their authorizers, every Lambda function with its settings and
 * environment (and its alias, where a release goes through one), the photo processor's
 * image tag, and the tables with their GSIs.
 */
export interface StackTemplate {
  /** The CloudFormation stack name. */
  stackName: string;
  template: Template;
}

/** A template expression, resolved later against the deployed stack (resolve.ts). */
export type Expression = Json;

export interface ExpectedRoute {
  stackName: string;
  routeKey: string;
  /** `JWT`, `NONE`, ... as API Gateway reports it. */
  authorizationType: string;
  /** The authorizer's logical id in the same stack; undefined: none. */
  authorizer?: string;
  /** The API's logical id. */
  api: string;
  /** `integrations/<id>`: which integration (and so which function) serves it. */
  target?: Expression;
}

export interface ExpectedFunction {
  stackName: string;
  logicalId: string;
  /** The template's FunctionName, when it sets one (the naming helpers do). */
  functionName?: Expression;
  environment: Record<string, Expression>;
  /** Settings compared when the template states them (Lambda's defaults are not guessed). */
  settings: Partial<Record<FunctionSetting, Expression>>;
  /** Container functions: the tag of the image this synthesis references (the asset hash). */
  imageTag?: string;
  /** The alias a release goes through (AWS::Lambda::Alias on this function): its Name. */
  alias?: string;
}

export const FUNCTION_SETTINGS = [
  "Runtime",
  "Handler",
  "MemorySize",
  "Timeout",
  "Architectures",
  "PackageType",
] as const;
export type FunctionSetting = (typeof FUNCTION_SETTINGS)[number];

export interface ExpectedTable {
  stackName: string;
  logicalId: string;
  tableName?: Expression;
  indexes: string[];
}

export interface Expected {
  routes: ExpectedRoute[];
  functions: ExpectedFunction[];
  tables: ExpectedTable[];
}

type Resource = { Type?: string; Properties?: JsonObject };

function resourcesOf(template: Template, type: string): [string, JsonObject][] {
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/** `{ Ref: "X" }` -> "X"; anything else undefined. */
export function refOf(value: Json | undefined): string | undefined {
  return isObject(value) && typeof value.Ref === "string" ? value.Ref : undefined;
}

/**
 * The tag of a container image reference. CDK writes ImageUri as
 * `{"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-...:<hash>"}`
 * (or a Join of the same parts); the tag after the last `:` is the asset hash.
 */
export function imageTagOf(imageUri: Json | undefined): string | undefined {
  const text = JSON.stringify(imageUri ?? null);
  const match = /:([A-Za-z0-9_.-]{8,128})"\]*\}*$/.exec(text);
  return match?.[1];
}

function functionsOf(stack: StackTemplate): ExpectedFunction[] {
  const aliases = new Map<string, string>();
  for (const [, alias] of resourcesOf(stack.template, "AWS::Lambda::Alias")) {
    const target = refOf(alias.FunctionName);
    if (target && typeof alias.Name === "string") aliases.set(target, alias.Name);
  }
  return resourcesOf(stack.template, "AWS::Lambda::Function").map(([logicalId, props]) => {
    const variables = isObject(props.Environment) ? props.Environment.Variables : undefined;
    const settings: ExpectedFunction["settings"] = {};
    for (const setting of FUNCTION_SETTINGS) {
      const value = props[setting];
      if (value !== undefined) settings[setting] = value;
    }
    const code = isObject(props.Code) ? props.Code : {};
    const imageTag = code.ImageUri !== undefined ? imageTagOf(code.ImageUri) : undefined;
    const alias = aliases.get(logicalId);
    return {
      stackName: stack.stackName,
      logicalId,
      ...(props.FunctionName !== undefined ? { functionName: props.FunctionName } : {}),
      environment: isObject(variables) ? { ...variables } : {},
      settings,
      ...(imageTag ? { imageTag } : {}),
      ...(alias ? { alias } : {}),
    };
  });
}

function routesOf(stack: StackTemplate): ExpectedRoute[] {
  return resourcesOf(stack.template, "AWS::ApiGatewayV2::Route").flatMap(([, props]) => {
    const api = refOf(props.ApiId);
    if (typeof props.RouteKey !== "string" || !api) return [];
    const authorizer = refOf(props.AuthorizerId);
    return [
      {
        stackName: stack.stackName,
        routeKey: props.RouteKey,
        // API Gateway's default when the template leaves it out.
        authorizationType:
          typeof props.AuthorizationType === "string" ? props.AuthorizationType : "NONE",
        ...(authorizer ? { authorizer } : {}),
        api,
        ...(props.Target !== undefined ? { target: props.Target } : {}),
      },
    ];
  });
}

function tablesOf(stack: StackTemplate): ExpectedTable[] {
  return resourcesOf(stack.template, "AWS::DynamoDB::Table").map(([logicalId, props]) => {
    const indexes = Array.isArray(props.GlobalSecondaryIndexes)
      ? props.GlobalSecondaryIndexes.flatMap((index) =>
          isObject(index) && typeof index.IndexName === "string" ? [index.IndexName] : [],
        )
      : [];
    return {
      stackName: stack.stackName,
      logicalId,
      ...(props.TableName !== undefined ? { tableName: props.TableName } : {}),
      indexes,
    };
  });
}

export function expectedState(stacks: readonly StackTemplate[]): Expected {
  return {
    routes: stacks.flatMap(routesOf),
    functions: stacks.flatMap(functionsOf),
    tables: stacks.flatMap(tablesOf),
  };
}
