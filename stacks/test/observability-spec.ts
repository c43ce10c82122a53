import { expect, it } from "vitest";
import { DIMENSION, METRIC_NAMESPACE } from "../../packages/functions/src/metrics.js";
import { routeKey, routes } from "../../packages/functions/src/routes.js";
import { dashboardName, dashboardUrl } from "../names.js";
import type { SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import { actionsOf, appFunctions, imageFunctions, only, roleStatements } from "./template.js";

type Widget = {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: unknown[] };
};

/** The dashboard's body as JSON: CloudFormation joins it from strings and references. */
function dashboardBody(result: SynthResult): { widgets: Widget[] } {
  const body = only(result, "AWS::CloudWatch::Dashboard", "Monitoring").Properties.DashboardBody;
  const text =
    typeof body === "string"
      ? body
      : (body["Fn::Join"][1] as unknown[])
          .map((part) => (typeof part === "string" ? part : "REF"))
          .join("");
  return JSON.parse(text);
}

/** Tracing, the metric namespace and the dashboard of one synthesized stage. */
export function observabilitySpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage, tracing } = expected;

  it(
    tracing
      ? "traces every function with X-Ray (active), tells it TRACING=true and lets it write segments"
      : "traces no function (X-Ray costs money on a dev stage) and tells it TRACING=false",
    () => {
      const functions = [...appFunctions(ctx.result), ...imageFunctions(ctx.result)];
      expect(functions.length).toBeGreaterThan(routes.length);
      for (const fn of functions) {
        const name = fn.Properties.FunctionName;
        expect(fn.Properties.TracingConfig, name).toEqual(tracing ? { Mode: "Active" } : undefined);
        expect(fn.Properties.Environment.Variables.TRACING, name).toBe(String(tracing));
        const xray = roleStatements(ctx.result, fn).filter((st) =>
          actionsOf(st).includes("xray:PutTraceSegments"),
        );
        expect(xray.length > 0, name).toBe(tracing);
      }
    },
  );

  it("builds the stage's dashboard from the route table: one graph per route, in our namespace", () => {
    const dashboard = only(ctx.result, "AWS::CloudWatch::Dashboard", "Monitoring");
    expect(dashboard.Properties.DashboardName).toBe(dashboardName(stage));
    const { widgets } = dashboardBody(ctx.result);
    const titles = widgets.map((w) => w.properties.title);
    for (const route of routes) {
      const matching = widgets.filter((w) => w.properties.title === routeKey(route));
      expect(matching, routeKey(route)).toHaveLength(1);
      // Latency p50/p99 and 4xx/5xx of this route, stage and namespace.
      const metrics = matching[0]?.properties.metrics ?? [];
      expect(metrics).toHaveLength(4);
      for (const metric of metrics) {
        expect(metric.slice(0, 2)).toEqual([METRIC_NAMESPACE, expect.any(String)]);
        const dims = metric.slice(2, -1);
        expect(dims).toEqual(
          expect.arrayContaining([DIMENSION.stage, stage, DIMENSION.route, routeKey(route)]),
        );
      }
    }
    expect(titles).toEqual(
      expect.arrayContaining([
        "Alarms",
        "Lambda concurrency and throttles (account)",
        "Image processor",
        "Upload queue",
        `DynamoDB localstays-${stage}`,
        "Listings",
        "Photos",
      ]),
    );
    const alarmWidget = widgets.find((w) => w.type === "alarm");
    const alarmCount = Object.keys(ctx.result.stacks.Monitoring.template.Resources).filter(
      (id) => ctx.result.stacks.Monitoring.template.Resources[id].Type === "AWS::CloudWatch::Alarm",
    ).length;
    expect(alarmWidget?.properties.alarms).toHaveLength(alarmCount);
  });

  it("outputs the dashboard's console URL", () => {
    const outputs = ctx.result.stacks.Monitoring.template.Outputs;
    expect(outputs.DashboardUrl.Value).toBe(dashboardUrl(expected.region, stage));
    expect(dashboardUrl(expected.region, stage)).toBe(
      `https://${expected.region}.console.aws.amazon.com/cloudwatch/home?region=${expected.region}#dashboards/dashboard/localstays-${stage}`,
    );
  });
}
