import { expect, it } from "vitest";
import { cognitoTriggers } from "../../packages/functions/src/auth/triggers.js";
import { routeFunctionName } from "../../packages/functions/src/function-names.js";
import { type Route, routeKey, routes } from "../../packages/functions/src/routes.js";
import { alarmNames } from "../names.js";
import { stageSettings } from "../stage.js";
import type { SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import {
  actionsOf,
  appFunctions,
  imageFunctions,
  only,
  type Resource,
  refersTo,
  resources,
  STAGE_TABLE_PARAMETER,
  type Statement,
} from "./template.js";

/** The API, its functions and the alarms on them, for one synthesized stage. */
export function apiSpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage } = expected;
  const byRouteKey = (result: SynthResult) =>
    new Map(resources(result, "AWS::ApiGatewayV2::Route").map((r) => [r.Properties.RouteKey, r]));

  it("serves every route of the route table, and no other", () => {
    expect([...byRouteKey(ctx.result).keys()].sort()).toEqual(routes.map(routeKey).sort());
  });

  it("puts the JWT authorizer (Cognito issuer, client audience) on every non-public route only", () => {
    const { result } = ctx;
    const authorizer = only(result, "AWS::ApiGatewayV2::Authorizer");
    expect(authorizer.Properties.AuthorizerType).toBe("JWT");
    const jwt = authorizer.Properties.JwtConfiguration;
    expect(JSON.stringify(jwt.Issuer)).toContain(
      `https://cognito-idp.${expected.region}.amazonaws.com/`,
    );
    expect(refersTo(jwt.Issuer, only(result, "AWS::Cognito::UserPool").logicalId)).toBe(true);
    expect(refersTo(jwt.Audience, only(result, "AWS::Cognito::UserPoolClient").logicalId)).toBe(
      true,
    );

    const apiRoutes = byRouteKey(result);
    for (const route of routes) {
      const cfn = apiRoutes.get(routeKey(route)) as Resource;
      if (route.auth === "public") {
        expect(cfn.Properties.AuthorizationType, routeKey(route)).toBe("NONE");
        expect(cfn.Properties.AuthorizerId).toBeUndefined();
      } else {
        expect(cfn.Properties.AuthorizationType, routeKey(route)).toBe("JWT");
        expect(cfn.Properties.AuthorizerId).toEqual({ Ref: authorizer.logicalId });
      }
    }
  });

  it("throttles every route at the stage's default and search, public reads and uploads tighter", () => {
    const { throttle } = stageSettings(stage);
    const cfnStage = only(ctx.result, "AWS::ApiGatewayV2::Stage");
    expect(cfnStage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingBurstLimit: throttle.default.burst,
      ThrottlingRateLimit: throttle.default.rate,
    });
    expect(cfnStage.Properties.RouteSettings).toEqual(
      Object.fromEntries(
        Object.entries(throttle.routes).map(([key, limit]) => [
          key,
          { ThrottlingBurstLimit: limit.burst, ThrottlingRateLimit: limit.rate },
        ]),
      ),
    );
    // Route settings name routes: the stage must come after them, or CloudFormation refuses it.
    const routeIds = new Map(
      resources(ctx.result, "AWS::ApiGatewayV2::Route").map((r) => [
        r.Properties.RouteKey,
        r.logicalId,
      ]),
    );
    for (const key of Object.keys(throttle.routes)) {
      expect(cfnStage.DependsOn, key).toContain(routeIds.get(key));
    }
  });

  it(`allows CORS from ${expected.corsOrigins.join(", ")} with the headers the dashboard sends`, () => {
    const cors = only(ctx.result, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual(expected.corsOrigins);
    expect(cors.AllowHeaders).toEqual(
      expect.arrayContaining(["authorization", "content-type", "if-match"]),
    );
    expect(cors.AllowMethods).toEqual(expect.arrayContaining(routes.map((r) => r.method)));
    expect(cors.ExposeHeaders).toEqual(expect.arrayContaining(["etag"]));
    const outputs = ctx.result.stacks.Api.template.Outputs;
    expect(outputs.ApiUrl).toBeDefined();
  });

  it("runs every function on nodejs20.x/arm64 with the configuration core reads", () => {
    const { result } = ctx;
    const fns = appFunctions(result);
    // The route functions, the Cognito triggers, the expired-upload sweeper and the two mail
    // functions (outbox delivery, SES events).
    expect(fns).toHaveLength(routes.length + Object.keys(cognitoTriggers).length + 3);
    // The stage's table setting (stacks/table-setting.ts), resolved by CloudFormation.
    const table = STAGE_TABLE_PARAMETER;
    for (const fn of fns) {
      const env = fn.Properties.Environment.Variables;
      expect(fn.Properties.Runtime).toBe("nodejs20.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(env.STAGE).toBe(stage);
      expect(env.ENABLE_FEATURE_X).toBe(String(expected.featureX));
      expect(refersTo(env.TABLE_NAME, table)).toBe(true);
      if (fn.stack === "Api") {
        expect(refersTo(env.BUCKET_NAME, "PhotosBucket")).toBe(true);
        expect(refersTo(env.USER_POOL_ID, only(result, "AWS::Cognito::UserPool").logicalId)).toBe(
          true,
        );
      }
    }
    // One mechanism for the flag: the variable above, no SSM parameter beside it.
    const parameter = resources(result, "AWS::SSM::Parameter").find((p) =>
      String(p.Properties.Name).includes("ENABLE_FEATURE_X"),
    );
    expect(parameter).toBeUndefined();
  });

  /** Every statement of the policies attached to a function's role. */
  function statementsOf(result: SynthResult, fn: Resource): Statement[] {
    const role = fn.Properties.Role["Fn::GetAtt"][0];
    return resources(result, "AWS::IAM::Policy", fn.stack)
      .filter((p) => refersTo(p.Properties.Roles, role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  }
  const WRITES = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
  ];

  it("grants each route function exactly the table access its route declares", () => {
    const { result } = ctx;
    const table = STAGE_TABLE_PARAMETER;
    const fns = appFunctions(result);
    for (const route of routes as readonly Route[]) {
      const name = routeFunctionName(stage, route);
      const fn = fns.find((f) => f.Properties.FunctionName === name);
      if (!fn) throw new Error(`No function ${name}`);
      const statements = statementsOf(result, fn);
      const actions = statements.flatMap(actionsOf);
      const what = `${routeKey(route)} (table: ${route.table})`;
      expect(
        actions.filter((a) => a.endsWith(":*") || a === "*"),
        what,
      ).toEqual([]);
      if (route.table === "none") {
        expect(
          actions.filter((a) => /^(dynamodb|kms):/.test(a)),
          what,
        ).toEqual([]);
        continue;
      }
      expect(actions, what).toContain("dynamodb:Query");
      expect(actions, what).toContain("kms:Decrypt");
      const dynamo = statements.find((st) => actionsOf(st).includes("dynamodb:Query"));
      expect(dynamo?.Resource, what).toHaveLength(5);
      expect(refersTo(dynamo?.Resource, table), what).toBe(true);
      expect(JSON.stringify(dynamo?.Resource)).not.toContain("/index/*");
      if (route.table === "write") {
        expect(actions, what).toEqual(expect.arrayContaining([...WRITES, "kms:GenerateDataKey"]));
      } else {
        // A reader can neither change an item nor encrypt with the table's key.
        expect(
          actions.filter((a) => WRITES.includes(a)),
          what,
        ).toEqual([]);
        expect(actions, what).not.toContain("kms:Encrypt");
        expect(actions, what).not.toContain("kms:GenerateDataKey");
      }
    }
  });

  it("declares read access for the public routes and none for health", () => {
    const declared = Object.fromEntries(
      routes.filter((r) => r.auth === "public").map((r) => [routeKey(r), r.table]),
    );
    expect(declared).toEqual({
      "GET /api/v1/health": "none",
      "GET /api/v1/listings": "read",
      "GET /api/v1/listings/{listingId}": "read",
    });
  });

  it(`lets the API check a pool user's TOTP ${expected.adminTotpRequired ? "on signed-in routes" : "nowhere"}, on this stage's pool only`, () => {
    const { result } = ctx;
    const pool = only(result, "AWS::Cognito::UserPool").logicalId;
    const fns = appFunctions(result).filter((fn) => fn.stack === "Api");
    for (const route of routes as readonly Route[]) {
      const fn = fns.find((f) => f.Properties.FunctionName === routeFunctionName(stage, route));
      if (!fn) throw new Error(`No function for ${routeKey(route)}`);
      const env = fn.Properties.Environment.Variables;
      expect(env.ADMIN_TOTP_REQUIRED).toBe(String(expected.adminTotpRequired));
      expect(
        refersTo(env.USER_POOL_CLIENT_ID, only(result, "AWS::Cognito::UserPoolClient").logicalId),
      ).toBe(true);
      const cognito = statementsOf(result, fn).filter((st) =>
        actionsOf(st).some((a) => a.startsWith("cognito-idp:")),
      );
      if (!expected.adminTotpRequired || route.auth === "public") {
        expect(cognito, routeKey(route)).toEqual([]);
        continue;
      }
      expect(cognito.flatMap(actionsOf)).toEqual(["cognito-idp:AdminGetUser"]);
      expect(refersTo(cognito[0]?.Resource, pool)).toBe(true);
    }
  });

  it("scopes the sign-up trigger's group permission to this stage's pool, in a policy of its own", () => {
    const { result } = ctx;
    const pool = only(result, "AWS::Cognito::UserPool").logicalId;
    const policies = resources(result, "AWS::IAM::Policy", "Auth");
    const groupPolicy = policies.filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes("cognito-idp:AdminAddUserToGroup"),
    );
    expect(groupPolicy).toHaveLength(1);
    const statement = groupPolicy[0]?.Properties.PolicyDocument.Statement[0];
    expect(statement.Resource).toEqual({ "Fn::GetAtt": [pool, "Arn"] });
    expect(JSON.stringify(policies)).not.toContain("userpool/*");
    // The trigger function must not wait for it: that is the cycle a default policy closes.
    const trigger = appFunctions(result).find((fn) => fn.stack === "Auth") as Resource;
    expect([trigger.DependsOn ?? []].flat()).not.toContain(groupPolicy[0]?.logicalId);
  });

  it("lets no role read the smoke user's parameter: SSM reads only under SST's own /sst/ path", () => {
    // SSM parameters have no resource policy: an identity grant is the only way in. SST's
    // bound Config parameters live under /sst/<app>/<stage>/; the smoke user's credentials
    // (/localstays/<stage>/smoke-user, `localstays smoke-user`) are for the deploy role only.
    const { result } = ctx;
    const inline = resources(result, "AWS::IAM::Role").flatMap((role) =>
      (role.Properties.Policies ?? []).map((p: Resource["Properties"]) => p.PolicyDocument),
    );
    const statements = [
      ...resources(result, "AWS::IAM::Policy").map((p) => p.Properties.PolicyDocument),
      ...inline,
    ].flatMap((document) => document.Statement as Statement[]);
    const ssmReads = statements.filter(
      (st) => st.Effect === "Allow" && actionsOf(st).some((a) => /^(ssm:(Get|\*)|\*$)/.test(a)),
    );
    for (const statement of ssmReads) {
      for (const resource of [statement.Resource].flat()) {
        expect(JSON.stringify(resource)).toMatch(/:parameter\/sst\/[^*"]+\//);
      }
    }
    const managed = resources(result, "AWS::IAM::Role").flatMap((role) =>
      JSON.stringify(role.Properties.ManagedPolicyArns ?? []),
    );
    expect(managed.join(" ")).not.toMatch(/SSM|AdministratorAccess|ReadOnlyAccess|PowerUser/);
  });

  it("attaches every trigger of the trigger table to the user pool", () => {
    const { result } = ctx;
    const lambdaConfig = only(result, "AWS::Cognito::UserPool").Properties.LambdaConfig;
    const triggers = appFunctions(result).filter((fn) => fn.stack === "Auth");
    expect(Object.keys(lambdaConfig).sort()).toEqual(
      Object.keys(cognitoTriggers)
        .map((name) => name.charAt(0).toUpperCase() + name.slice(1))
        .sort(),
    );
    for (const target of Object.values(lambdaConfig)) {
      const fn = triggers.find((t) => refersTo(target, t.logicalId));
      expect(fn?.Properties.Handler).toMatch(/^packages\/functions\/src\/auth\//);
    }
  });

  it(`keeps every function's logs and the API access log ${expected.retentionDays} days`, () => {
    const { result } = ctx;
    const retention = resources(result, "Custom::LogRetention");
    for (const fn of appFunctions(result)) {
      const own = retention.filter((r) => refersTo(r.Properties.LogGroupName, fn.logicalId));
      expect(
        own.map((r) => r.Properties.RetentionInDays),
        fn.logicalId,
      ).toEqual([expected.retentionDays]);
    }
    const logGroups = resources(result, "AWS::Logs::LogGroup");
    expect(logGroups.length).toBeGreaterThan(0);
    for (const group of logGroups) {
      expect(group.Properties.RetentionInDays, group.logicalId).toBe(expected.retentionDays);
    }
  });

  it("alarms on API 5xx, on each function's errors and on throttles, into the encrypted TLS-only topic", () => {
    const { result } = ctx;
    const { alarms } = stageSettings(stage);
    const topic = only(result, "AWS::SNS::Topic", "Monitoring");
    expect(refersTo(topic.Properties.KmsMasterKeyId, only(result, "AWS::KMS::Key").logicalId)).toBe(
      true,
    );
    const topicPolicy = only(result, "AWS::SNS::TopicPolicy", "Monitoring").Properties
      .PolicyDocument.Statement;
    expect(topicPolicy).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    // Without these two grants the alarms deploy fine and never notify anyone.
    const keyPolicy = only(result, "AWS::KMS::Key").Properties.KeyPolicy.Statement;
    for (const [statements, action] of [
      [topicPolicy, "sns:Publish"],
      [keyPolicy, "kms:Decrypt"],
    ] as const) {
      const grant = statements.find(
        (st: { Principal?: { Service?: string } }) =>
          st.Principal?.Service === "cloudwatch.amazonaws.com",
      );
      expect([grant?.Action].flat()).toContain(action);
      expect(grant?.Condition.StringEquals).toEqual({ "aws:SourceAccount": expected.account });
      expect(JSON.stringify(grant?.Condition.ArnLike)).toContain(
        `:cloudwatch:${expected.region}:${expected.account}:alarm:localstays-${stage}-*`,
      );
    }

    const all = resources(result, "AWS::CloudWatch::Alarm");
    // The naming helpers the docs are checked against (packages/cli/test/docs-names.test.ts).
    expect(all.map((a) => a.Properties.AlarmName).sort()).toEqual(alarmNames(stage).sort());
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic.logicalId }]);
      expect(alarm.Properties.AlarmName).toMatch(new RegExp(`^localstays-${stage}-`));
    }
    const api5xx = all.find((a) => a.Properties.MetricName === "5xx") as Resource;
    expect(api5xx.Properties).toMatchObject({
      Namespace: "AWS/ApiGateway",
      Threshold: alarms.api5xx.threshold,
      EvaluationPeriods: alarms.api5xx.evaluationPeriods,
      Period: alarms.api5xx.periodMinutes * 60,
    });
    expect(api5xx.Properties.Dimensions).toContainEqual({ Name: "Stage", Value: "$default" });
    expect(
      refersTo(api5xx.Properties.Dimensions, only(result, "AWS::ApiGatewayV2::Api").logicalId),
    ).toBe(true);

    const watched = all
      .filter((a) => a.Properties.MetricName === "Errors")
      .map((a) => a.Properties.Dimensions[0].Value);
    const names = [...appFunctions(result), ...imageFunctions(result)].map(
      (fn) => fn.Properties.FunctionName,
    );
    expect(watched.sort()).toEqual(names.sort());
    expect(all.filter((a) => a.Properties.MetricName === "Throttles")).toHaveLength(1);
  });

  it(`sends the alarms to ${expected.alertEmails.join(", ") || "no e-mail"}${expected.slack ? " and Slack" : ""}`, () => {
    const { result } = ctx;
    const topic = only(result, "AWS::SNS::Topic", "Monitoring");
    const subscriptions = resources(result, "AWS::SNS::Subscription", "Monitoring");
    expect(subscriptions.map((s) => s.Properties.Endpoint).sort()).toEqual(
      [...expected.alertEmails].sort(),
    );
    for (const { Properties } of subscriptions) {
      expect(Properties).toMatchObject({ Protocol: "email", TopicArn: { Ref: topic.logicalId } });
    }
    const slack = resources(result, "AWS::Chatbot::SlackChannelConfiguration");
    if (!expected.slack) {
      expect(slack).toEqual([]);
      return;
    }
    expect(slack).toHaveLength(1);
    expect(slack[0]?.Properties).toMatchObject({
      ConfigurationName: `localstays-${stage}-alarms`,
      SlackWorkspaceId: expected.slack.workspaceId,
      SlackChannelId: expected.slack.channelId,
      SnsTopicArns: [{ Ref: topic.logicalId }],
    });
    // Anyone in the channel can talk to Chatbot: it may read, never change.
    expect(JSON.stringify(slack[0]?.Properties.GuardrailPolicies)).toContain("ReadOnlyAccess");
    expect(JSON.stringify(slack[0]?.Properties.GuardrailPolicies)).not.toContain("Administrator");
  });
}
