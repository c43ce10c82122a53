import { CfnRoute } from "aws-cdk-lib/aws-apigatewayv2";
import { NagSuppressions } from "cdk-nag";
import { type ApiRouteProps, Api as SstApi, type StackContext, use } from "sst/constructs";
import { routeFunctionName } from "../packages/functions/src/function-names.js";
import { type Route, routeKey, routes } from "../packages/functions/src/routes.js";
import { Auth } from "./Auth.js";
import { Data } from "./Data.js";
import { suppressFunctionDefaults } from "./nag.js";
import { Storage } from "./Storage.js";
import { stageSettings } from "./stage.js";

type Authorizer = "jwt" | "none";

/** A route of the table as an SST route: its handler, and the JWT authorizer unless public. */
function toSstRoute(stage: string, route: Route): ApiRouteProps<Authorizer> {
  return {
    function: { handler: route.handler, functionName: routeFunctionName(stage, route) },
    authorizer: route.auth === "public" ? "none" : "jwt",
  };
}

export function Api({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { table, grantReadWriteData } = use(Data);
  const { bucket } = use(Storage);
  const { cognito } = use(Auth);

  const methods = [...new Set(routes.map((route) => route.method))];
  const api = new SstApi(stack, "Api", {
    authorizers: {
      jwt: {
        type: "jwt",
        jwt: {
          issuer: `https://cognito-idp.${stack.region}.amazonaws.com/${cognito.userPoolId}`,
          // Access tokens carry client_id, ID tokens aud: API Gateway accepts either.
          audience: [cognito.userPoolClientId],
        },
      },
    },
    defaults: {
      authorizer: "jwt",
      function: {
        environment: {
          TABLE_NAME: table.tableName,
          BUCKET_NAME: bucket.bucketName,
          USER_POOL_ID: cognito.userPoolId,
        },
      },
    },
    cors: {
      allowOrigins: [...settings.corsOrigins],
      allowHeaders: ["authorization", "content-type", "if-match"],
      // The dashboard reads a listing's version from its ETag to send it back in If-Match.
      exposeHeaders: ["etag", "location"],
      allowMethods: [...methods, "OPTIONS"],
      maxAge: "1 hour",
    },
    accessLog: { retention: settings.logRetention },
    routes: Object.fromEntries(
      routes.map((route) => [routeKey(route), toSstRoute(app.stage, route)]),
    ),
  });

  for (const route of routes) {
    const fn = api.getFunction(routeKey(route));
    if (!fn) throw new Error(`No function for route ${routeKey(route)}`);
    grantReadWriteData(fn);
    suppressFunctionDefaults(fn);
  }
  // Room for the photos issue: grant the image routes s3:PutObject on UPLOAD_PREFIX only.

  const cfnRoutes = api.node.findAll().filter((c): c is CfnRoute => c instanceof CfnRoute);
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
