import { expect, it } from "vitest";
import { routes } from "../../packages/functions/src/routes.js";
import type { SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import { appFunctions, imageFunctions, type Resource, refersTo, resources } from "./template.js";

const RELEASE_TYPES = [
  "AWS::Lambda::Version",
  "AWS::Lambda::Alias",
  "AWS::CodeDeploy::Application",
  "AWS::CodeDeploy::DeploymentGroup",
];

/**
 * How a release reaches the API's and the photo processor's functions: in place on plain
 * stages, through a `live` alias that CodeDeploy shifts and rolls back where the stage
 * expects a deployment config.
 */
export function releaseSpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage, deploymentConfig } = expected;
  const routeFunctions = () => appFunctions(ctx.result).filter((fn) => fn.stack === "Api");
  const released = () => [...routeFunctions(), ...imageFunctions(ctx.result)];
  const mapping = () => resources(ctx.result, "AWS::Lambda::EventSourceMapping", "Images");

  it("keeps SST's logical id for each route's function, whatever the release path", () => {
    // A named function cannot be replaced in place: turning releases on must not rename it.
    const ids = routeFunctions().map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, ""));
    const expectedIds = routes.map(
      (route) => `ApiLambda${route.method}${route.path.replace(/[^A-Za-z0-9]/g, "")}`,
    );
    expect(ids.sort()).toEqual(expectedIds.sort());
  });

  if (!deploymentConfig) {
    it("runs plain functions: no versions, aliases or CodeDeploy, callers invoke the functions", () => {
      const { result } = ctx;
      for (const type of RELEASE_TYPES) expect(resources(result, type), type).toEqual([]);
      const integrations = resources(result, "AWS::ApiGatewayV2::Integration");
      expect(integrations).toHaveLength(routes.length);
      for (const integration of integrations) {
        const uri = integration.Properties.IntegrationUri;
        expect(routeFunctions().filter((fn) => refersTo(uri, fn.logicalId))).toHaveLength(1);
      }
      const [processor] = imageFunctions(result);
      expect(mapping()).toHaveLength(1);
      expect(mapping()[0]?.Properties.FunctionName).toEqual({ Ref: processor?.logicalId });
    });
    return;
  }

  const aliasOf = (fn: Resource) => {
    const found = resources(ctx.result, "AWS::Lambda::Alias", fn.stack).filter(
      (alias) => alias.Properties.FunctionName?.Ref === fn.logicalId,
    );
    expect(found, fn.logicalId).toHaveLength(1);
    return found[0] as Resource & { UpdatePolicy?: Record<string, Record<string, unknown>> };
  };

  it("publishes every route function and the photo processor behind a live alias on its current version", () => {
    const { result } = ctx;
    expect(resources(result, "AWS::Lambda::Alias")).toHaveLength(released().length);
    for (const fn of released()) {
      const alias = aliasOf(fn);
      expect(alias.Properties.Name).toBe("live");
      const versions = resources(result, "AWS::Lambda::Version", fn.stack).filter(
        (version) => version.Properties.FunctionName?.Ref === fn.logicalId,
      );
      expect(versions).toHaveLength(1);
      expect(alias.Properties.FunctionVersion).toEqual({
        "Fn::GetAtt": [versions[0]?.logicalId, "Version"],
      });
    }
    // Reserved concurrency is the function's, whichever version runs.
    expect(imageFunctions(result)[0]?.Properties.ReservedConcurrentExecutions).toBe(5);
  });

  it("integrates every route with its function's alias and feeds the upload queue to the processor's alias", () => {
    const { result } = ctx;
    const integrations = resources(result, "AWS::ApiGatewayV2::Integration");
    expect(integrations).toHaveLength(routes.length);
    for (const fn of routeFunctions()) {
      const alias = aliasOf(fn);
      const own = integrations.filter((i) =>
        refersTo(i.Properties.IntegrationUri, alias.logicalId),
      );
      expect(own, fn.logicalId).toHaveLength(1);
      expect(own[0]?.Properties.IntegrationUri).toEqual({ Ref: alias.logicalId });
      // API Gateway may invoke the alias (a grant on the function alone would not cover it).
      const permissions = resources(result, "AWS::Lambda::Permission", "Api").filter(
        (p) => p.Properties.FunctionName?.Ref === alias.logicalId,
      );
      expect(permissions, fn.logicalId).toHaveLength(1);
    }
    const [processor] = imageFunctions(result);
    expect(mapping()).toHaveLength(1);
    const target = JSON.stringify(mapping()[0]?.Properties.FunctionName);
    expect(target).toContain(aliasOf(processor as Resource).logicalId);
    expect(target).toContain(":live");
  });

  it(`shifts each release with ${deploymentConfig} and rolls back on failure and on the function's alarms`, () => {
    const { result } = ctx;
    const alarms = resources(result, "AWS::CloudWatch::Alarm", "Monitoring");
    const errorsAlarmOf = (fn: Resource) =>
      alarms.find(
        (a) =>
          a.Properties.MetricName === "Errors" &&
          a.Properties.Dimensions[0].Value === fn.Properties.FunctionName,
      )?.Properties.AlarmName;
    const applications = resources(result, "AWS::CodeDeploy::Application");
    expect(applications.map((a) => a.Properties.ApplicationName).sort()).toEqual([
      `localstays-${stage}-api`,
      `localstays-${stage}-images`,
    ]);
    const groups = resources(result, "AWS::CodeDeploy::DeploymentGroup");
    expect(groups).toHaveLength(released().length);
    for (const fn of released()) {
      const update = aliasOf(fn).UpdatePolicy?.CodeDeployLambdaAliasUpdate;
      const group = groups.find((g) => refersTo(update?.DeploymentGroupName, g.logicalId));
      expect(group, fn.logicalId).toBeDefined();
      const application = applications.find((a) => a.stack === fn.stack) as Resource;
      expect(update?.ApplicationName).toEqual({ Ref: application.logicalId });
      const gate =
        fn.stack === "Api"
          ? `localstays-${stage}-api-5xx`
          : `localstays-${stage}-image-dlq-not-empty`;
      expect(group?.Properties).toMatchObject({
        ApplicationName: { Ref: application.logicalId },
        DeploymentGroupName: fn.Properties.FunctionName,
        DeploymentConfigName: deploymentConfig,
        DeploymentStyle: { DeploymentType: "BLUE_GREEN", DeploymentOption: "WITH_TRAFFIC_CONTROL" },
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        },
      });
      const names = group?.Properties.AlarmConfiguration.Alarms.map(
        (a: { Name: string }) => a.Name,
      );
      expect(group?.Properties.AlarmConfiguration.Enabled).toBe(true);
      expect(names.sort()).toEqual([errorsAlarmOf(fn), gate].sort());
      // By name, so each must be one Monitoring really creates.
      for (const name of names) {
        expect(alarms.map((a) => a.Properties.AlarmName)).toContain(name);
      }
    }
  });
}
