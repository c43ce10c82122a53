import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { type Route, routeKey } from "../../../functions/src/routes.js";
import type { Json } from "../promote/side.js";
import type { DeployedStage } from "./deployed.js";
import type { ExpectedFunction, ExpectedRoute, FunctionSetting } from "./expected.js";

/**
 * The comparisons of `localstays verify`, one Check per route, function, image and table:
 * `ok` with what was confirmed, or a difference with what differs. Tables are in tables.ts.
 */
export type CheckKind = "code" | "stack" | "route" | "function" | "image" | "table";

export interface Check {
  kind: CheckKind;
  subject: string;
  ok: boolean;
  /** Differences when not ok; otherwise what was confirmed (alias version, digest, ...). */
  notes: string[];
}

const check = (kind: CheckKind, subject: string, differences: string[], info: string[] = []) => ({
  kind,
  subject,
  ok: differences.length === 0,
  notes: differences.length ? differences : info,
});

/** A template expression, short, for "compared for presence only" notes. */
export function expressionText(value: Json | undefined): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * routes.ts against the synthesized API: the same routes with the same authorization. Only
 * a stale or hand-edited template differs; verify then refuses to vouch for the stage.
 */
export function routeTableCheck(
  table: readonly Pick<Route, "method" | "path" | "auth">[],
  synthesized: readonly ExpectedRoute[],
): Check {
  const byKey = new Map(synthesized.map((route) => [route.routeKey, route]));
  const differences: string[] = [];
  for (const route of table) {
    const key = routeKey(route);
    const found = byKey.get(key);
    const type = route.auth === "public" ? "NONE" : "JWT";
    if (!found) differences.push(`${key} is in routes.ts but not in the template`);
    else if (found.authorizationType !== type) {
      differences.push(`${key}: template says ${found.authorizationType}, routes.ts ${type}`);
    }
    byKey.delete(key);
  }
  for (const key of byKey.keys())
    differences.push(`${key} is in the template but not in routes.ts`);
  return check("code", "routes.ts = synthesized API routes", differences, [
    `${table.length} routes`,
  ]);
}

/** Every synthesized route on the deployed HTTP API, with its authorizer; no others. */
export async function routeChecks(
  deployed: DeployedStage,
  expected: readonly ExpectedRoute[],
): Promise<Check[]> {
  const checks: Check[] = [];
  const apis = new Map<string, ExpectedRoute[]>();
  for (const route of expected) {
    const key = `${route.stackName}\u0000${route.api}`;
    apis.set(key, [...(apis.get(key) ?? []), route]);
  }
  for (const routes of apis.values()) {
    const { stackName, api } = routes[0] as ExpectedRoute;
    const apiId = await deployed.physicalId(stackName, api);
    const actual = apiId ? await deployed.routes(apiId) : undefined;
    if (!apiId || !actual) {
      checks.push(check("route", `HTTP API ${api} (${stackName})`, ["not deployed"]));
      continue;
    }
    const byKey = new Map(actual.map((route) => [route.RouteKey, route]));
    for (const route of routes) {
      const found = byKey.get(route.routeKey);
      byKey.delete(route.routeKey);
      const subject = `route ${route.routeKey}`;
      if (!found) {
        checks.push(check("route", subject, [`missing on API ${apiId}`]));
        continue;
      }
      const differences: string[] = [];
      const type = found.AuthorizationType ?? "NONE";
      if (type !== route.authorizationType) {
        differences.push(`authorization ${type}, expected ${route.authorizationType}`);
      }
      const authorizerId = route.authorizer
        ? await deployed.physicalId(stackName, route.authorizer)
        : undefined;
      if ((found.AuthorizerId ?? undefined) !== authorizerId) {
        differences.push(
          `authorizer ${found.AuthorizerId ?? "none"}, expected ${authorizerId ?? "none"}` +
            (route.authorizer ? ` (${route.authorizer})` : ""),
        );
      }
      const target = await deployed.resolve(stackName, route.target);
      if (target !== undefined && found.Target !== target) {
        differences.push(`target ${found.Target ?? "none"}, expected ${target}`);
      }
      const info = route.authorizer ? `${type} authorizer ${authorizerId}` : "no authorizer";
      checks.push(check("route", subject, differences, [info]));
    }
    for (const key of byKey.keys()) {
      checks.push(check("route", `route ${key}`, [`on API ${apiId} but not in the code`]));
    }
  }
  return checks;
}

function settingText(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

async function compareSettings(
  deployed: DeployedStage,
  fn: ExpectedFunction,
  config: FunctionConfiguration,
): Promise<string[]> {
  const differences: string[] = [];
  for (const [setting, expression] of Object.entries(fn.settings) as [FunctionSetting, Json][]) {
    const want = Array.isArray(expression)
      ? expression.join(",")
      : await deployed.resolve(fn.stackName, expression);
    if (want === undefined) continue;
    const actual = config[setting];
    if (actual === undefined || settingText(actual) !== want) {
      differences.push(
        `${setting} ${actual === undefined ? "unset" : settingText(actual)}, expected ${want}`,
      );
    }
  }
  return differences;
}

async function compareEnvironment(
  deployed: DeployedStage,
  fn: ExpectedFunction,
  config: FunctionConfiguration,
): Promise<{ differences: string[]; presenceOnly: string[] }> {
  const actual = { ...(config.Environment?.Variables ?? {}) };
  const differences: string[] = [];
  const presenceOnly: string[] = [];
  for (const [name, expression] of Object.entries(fn.environment)) {
    const want = await deployed.resolve(fn.stackName, expression);
    const have = actual[name];
    delete actual[name];
    if (have === undefined) {
      differences.push(
        `environment ${name} missing (expected ${want === undefined ? expressionText(expression) : JSON.stringify(want)})`,
      );
    } else if (want === undefined) {
      presenceOnly.push(name);
    } else if (have !== want) {
      differences.push(
        `environment ${name} is ${JSON.stringify(have)}, expected ${JSON.stringify(want)}`,
      );
    }
  }
  for (const name of Object.keys(actual)) {
    differences.push(`environment ${name} is set but not in the template`);
  }
  return { differences, presenceOnly };
}

/**
 * A function: it exists under the name CloudFormation gave it (and the template's, if it
 * sets one), with the template's settings and environment. With an alias, every read goes
 * through the alias, so what is checked is the version that receives traffic, not $LATEST.
 * A container function also runs the image this synthesis references.
 */
export async function functionChecks(
  deployed: DeployedStage,
  fn: ExpectedFunction,
): Promise<Check[]> {
  const fixedName =
    fn.functionName !== undefined
      ? await deployed.resolve(fn.stackName, fn.functionName)
      : undefined;
  const physical = await deployed.physicalId(fn.stackName, fn.logicalId);
  const name = physical ?? fixedName ?? fn.logicalId;
  const subject = `function ${name}${fn.alias ? `:${fn.alias}` : ""}`;
  if (!physical) {
    return [check("function", subject, [`not in stack ${fn.stackName} (${fn.logicalId})`])];
  }
  const config = await deployed.functionConfiguration(physical, fn.alias);
  if (!config) {
    return [check("function", subject, [fn.alias ? `alias ${fn.alias} missing` : "missing"])];
  }
  const differences: string[] = [];
  if (fixedName !== undefined && fixedName !== physical) {
    differences.push(`named ${physical}, the template says ${fixedName}`);
  }
  if (config.State === "Failed" || config.LastUpdateStatus === "Failed") {
    differences.push(
      `state ${config.State}/${config.LastUpdateStatus}: ${config.StateReason ?? config.LastUpdateStatusReason ?? ""}`,
    );
  }
  differences.push(...(await compareSettings(deployed, fn, config)));
  const environment = await compareEnvironment(deployed, fn, config);
  differences.push(...environment.differences);
  const info = [
    ...(fn.alias ? [`alias ${fn.alias} -> version ${config.Version}`] : []),
    `${Object.keys(fn.environment).length} environment variables`,
    ...(environment.presenceOnly.length
      ? [`present, not compared (GetAtt/Sub values): ${environment.presenceOnly.join(", ")}`]
      : []),
  ];
  const checks = [check("function", subject, differences, info)];
  if (fn.imageTag) checks.push(await imageCheck(deployed, fn, physical));
  return checks;
}

async function imageCheck(deployed: DeployedStage, fn: ExpectedFunction, name: string) {
  const subject = `image of ${name}${fn.alias ? `:${fn.alias}` : ""}`;
  const code = (await deployed.function(name, fn.alias))?.Code;
  const uri = code?.ImageUri;
  const tag = uri?.slice(uri.lastIndexOf(":") + 1);
  const digest = code?.ResolvedImageUri?.split("@")[1];
  const differences =
    tag === fn.imageTag ? [] : [`runs ${uri ?? "no image"}, this build is tag ${fn.imageTag}`];
  return check("image", subject, differences, [`tag ${tag}`, `digest ${digest ?? "unknown"}`]);
}
