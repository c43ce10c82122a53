import { CfnRoute, type CfnStage, type HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import {
  type ApiRouteProps,
  Api as SstApi,
  Function as SstFunction,
  type StackContext,
  use,
} from "sst/constructs";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { PHOTOS_PREFIX, UPLOAD_PREFIX } from "../packages/core/src/storage.js";
import { API_CORS } from "../packages/functions/src/cors.js";
import { routeFunctionName } from "../packages/functions/src/function-names.js";
import { type Route, routeKey, routes } from "../packages/functions/src/routes.js";
import { Auth } from "./Auth.js";
import { Data } from "./Data.js";
import { suppressBucketPrefixGrants, suppressFunctionDefaults } from "./nag.js";
import { ALARM, functionErrorsPurpose } from "./names.js";
import { liveAlias, type Releases, releases } from "./release.js";
import { Storage } from "./Storage.js";
import { stageSettings } from "./stage.js";
import { stageTable } from "./table-setting.js";
import type { ApiThrottle } from "./throttle.js";

type Authorizer = "jwt" | "none";

/**
 * What a route's `bucket` field lets its function do to the photo bucket, and nothing more.
 * "upload": the presigned POST carries its signer's rights, so the signer may put under
 * `uploads/` only. "delete": an image's original and its variants.
 */
const BUCKET_GRANTS = {
  upload: [{ actions: ["s3:PutObject"], prefixes: [UPLOAD_PREFIX] }],
  delete: [{ actions: ["s3:DeleteObject"], prefixes: [UPLOAD_PREFIX, PHOTOS_PREFIX] }],
} as const satisfies Record<
  NonNullable<Route["bucket"]>,
  readonly { actions: readonly string[]; prefixes: readonly string[] }[]
>;

function grantBucketAccess(fn: SstFunction, bucket: IBucket, access: Route["bucket"]): void {
  if (!access) return;
  const grants = BUCKET_GRANTS[access];
  for (const { actions, prefixes } of grants) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }
  suppressBucketPrefixGrants(fn, [...new Set(grants.flatMap((grant) => grant.prefixes))]);
}

/** A route of the table as an SST route: its handler, and the JWT authorizer unless public. */
function toSstRoute(stage: string, route: Route): ApiRouteProps<Authorizer> {
  return {
    function: { handler: route.handler, functionName: routeFunctionName(stage, route) },
    authorizer: routeAuthorizer(route),
  };
}

function routeAuthorizer(route: Route): Authorizer {
  return route.auth === "public" ? "none" : "jwt";
}

/**
 * A route whose function runs a published version behind its `live` alias. SST's Api applies
 * neither `defaults.function` nor its own ids to a CDK function, so the function is built
 * here with SST's id for a route's function (`Lambda_<method>_<path>` in the Api): the same
 * logical id as on a plain stage, so turning releases on keeps the function (a named
 * function cannot be replaced in place). App defaults (runtime, logs, STAGE) apply as usual.
 */
function addReleasedRoute(
  api: Construct & Pick<SstApi, "addRoutes">,
  stage: string,
  route: Route,
  environment: Record<string, string>,
  through: Releases,
): SstFunction {
  const name = routeFunctionName(stage, route);
  const fn = new SstFunction(api, `Lambda_${route.method}_${route.path}`, {
    handler: route.handler,
    functionName: name,
    environment,
    // As SST's Api marks its route functions: their ids hold the route's path, which SST's
    // id check (for bindable constructs) refuses, and nothing binds a route function.
    _doNotAllowOthersToBind: true,
  });
  const alias = liveAlias(fn, name, through, [ALARM.api5xx, functionErrorsPurpose(stage, name)]);
  api.addRoutes(api, {
    [routeKey(route)]: { cdk: { function: alias }, authorizer: routeAuthorizer(route) },
  });
  return fn;
}

/**
 * The routes with limits of their own (stacks/throttle.ts), as the stage's route settings.
 * CloudFormation refuses route settings for a route the stage does not have yet, so the stage
 * is created after those routes.
 */
function throttleRoutes(httpApi: HttpApi, throttle: ApiThrottle, cfnRoutes: CfnRoute[]): void {
  const stage = httpApi.defaultStage?.node.defaultChild as CfnStage | undefined;
  if (!stage) throw new Error("The API has no default stage to throttle");
  // RouteSettings is a Json property: CDK passes it through as written, so the keys are
  // CloudFormation's (PascalCase), not the camelCase of CfnStage.RouteSettingsProperty.
  const routeSettings: Record<
    string,
    { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }
  > = {};
  for (const [key, limit] of Object.entries(throttle.routes)) {
    const cfnRoute = cfnRoutes.find((r) => r.routeKey === key);
    if (!cfnRoute) throw new Error(`Throttle for ${key}, which is no route of the table`);
    routeSettings[key] = { ThrottlingBurstLimit: limit.burst, ThrottlingRateLimit: limit.rate };
    stage.addDependency(cfnRoute);
  }
  stage.routeSettings = routeSettings;
}

export function Api({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { grantTableAccess } = use(Data);
  const { bucket, imagesUrl } = use(Storage);
  const { cognito } = use(Auth);

  const environment = {
    // The stage's table setting, not the Data stack's table: a restore cuts over here.
    TABLE_NAME: stageTable(stack, app.stage).name,
    BUCKET_NAME: bucket.bucketName,
    USER_POOL_ID: cognito.userPoolId,
    // The API takes access tokens of this app client only (core's assertAccessToken).
    USER_POOL_CLIENT_ID: cognito.userPoolClientId,
    ADMIN_TOTP_REQUIRED: settings.adminTotpRequired ? "true" : "false",
    // Variant URLs are `${IMAGES_BASE_URL}/images/...` (the CDN, Storage stack).
    IMAGES_BASE_URL: imagesUrl,
  } satisfies Partial<FunctionEnvironment>;
  const through = settings.release && releases(stack, app.stage, settings.release.shift, "api");

  const api = new SstApi(stack, "Api", {
    authorizers: {
      jwt: {
        type: "jwt",
        jwt: {
          issuer: `https://cognito-idp.${stack.region}.amazonaws.com/${cognito.userPoolId}`,
          // Access tokens carry client_id, ID tokens aud: API Gateway accepts either, and
          // the handlers refuse ID tokens (core's assertAccessToken).
          audience: [cognito.userPoolClientId],
        },
      },
    },
    defaults: {
      authorizer: "jwt",
      function: { environment },
      // The stage's default route settings (SST applies it only with both numbers set).
      throttle: { burst: settings.throttle.default.burst, rate: settings.throttle.default.rate },
    },
    cors: {
      allowOrigins: [...settings.corsOrigins],
      allowHeaders: [...API_CORS.allowHeaders],
      exposeHeaders: [...API_CORS.exposeHeaders],
      allowMethods: [...API_CORS.allowMethods],
      maxAge: `${API_CORS.maxAgeSeconds} seconds`,
    },
    accessLog: { retention: settings.logRetention },
    // Released routes are added below, each on its function's alias.
    routes: through
      ? {}
      : Object.fromEntries(routes.map((route) => [routeKey(route), toSstRoute(app.stage, route)])),
  });

  for (const route of routes as readonly Route[]) {
    const fn = through
      ? addReleasedRoute(api, app.stage, route, environment, through)
      : api.getFunction(routeKey(route));
    if (!fn) throw new Error(`No function for route ${routeKey(route)}`);
    if (route.table !== "none") grantTableAccess(fn, route.table);
    // Where admins need TOTP, a token naming `admins` is checked against the pool (http.ts).
    if (settings.adminTotpRequired && route.auth !== "public") {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ["cognito-idp:AdminGetUser"],
          resources: [cognito.cdk.userPool.userPoolArn],
        }),
      );
    }
    grantBucketAccess(fn, bucket.cdk.bucket, route.bucket);
    suppressFunctionDefaults(fn);
  }

  const cfnRoutes = api.node.findAll().filter((c): c is CfnRoute => c instanceof CfnRoute);
  throttleRoutes(api.cdk.httpApi, settings.throttle, cfnRoutes);
  for (const route of routes.filter((r) => r.auth === "public")) {
    const cfnRoute = cfnRoutes.find((r) => r.routeKey === routeKey(route));
    if (!cfnRoute) throw new Error(`No API Gateway route ${routeKey(route)}`);
    NagSuppressions.addResourceSuppressions(
      cfnRoute,
      [
        {
          id: "AwsSolutions-APIG4",
          reason: `${routeKey(route)} is public by design (auth: "public" in the route table).`,
        },
        {
          id: "AwsSolutions-COG4",
          reason: `${routeKey(route)} is public by design (auth: "public" in the route table).`,
        },
      ],
      true,
    );
  }

  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
