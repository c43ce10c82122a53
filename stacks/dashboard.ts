import { Duration, type Stack } from "aws-cdk-lib";
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  Metric,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import { tableName } from "../packages/core/src/table.js";
import {
  photoProcessorFunctionName,
  uploadsDeadLetterQueueName,
  uploadsQueueName,
} from "../packages/functions/src/function-names.js";
import {
  DIMENSION,
  LISTING_EVENT,
  METRIC_NAMESPACE,
  type MetricDefinition,
  MIGRATION_METRIC,
  PHOTO_FAILURE_REASONS,
  PHOTO_METRIC,
  ROUTE_METRIC,
  SERVICE,
  type Service,
} from "../packages/functions/src/metrics.js";
import { routeKey, routes } from "../packages/functions/src/routes.js";
import { dashboardName } from "./names.js";

/**
 * The stage's CloudWatch dashboard, generated: a graph per route of the route table (a new
 * route appears by itself), the functions, the upload queue and its DLQ, the table, the
 * business metrics of packages/functions/src/metrics.ts, and the state of every alarm the
 * Monitoring stack made. Everything by name, like the alarms (no export between stacks).
 */
const PERIOD = Duration.minutes(5);
const ROUTE_WIDGET = { width: 8, height: 6 } as const;
const WIDE = { width: 12, height: 6 } as const;

function custom(
  stage: string,
  service: Service,
  metric: MetricDefinition,
  statistic: string,
  dimensions: Record<string, string> = {},
  label?: string,
): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: metric.name,
    dimensionsMap: { [DIMENSION.service]: service, [DIMENSION.stage]: stage, ...dimensions },
    statistic,
    period: PERIOD,
    label: label ?? `${metric.name} ${statistic}`,
  });
}

function aws(
  namespace: string,
  metricName: string,
  statistic: string,
  dimensionsMap: Record<string, string> = {},
  label?: string,
): Metric {
  return new Metric({
    namespace,
    metricName,
    dimensionsMap,
    statistic,
    period: PERIOD,
    ...(label ? { label } : {}),
  });
}

/** One graph per route: latency p50/p99 (left), 4xx and 5xx (right). */
export function routeWidgets(stage: string): GraphWidget[] {
  return routes.map((route) => {
    const Route = routeKey(route);
    const m = (metric: MetricDefinition, statistic: string, label: string) =>
      custom(stage, SERVICE.api, metric, statistic, { [DIMENSION.route]: Route }, label);
    return new GraphWidget({
      title: Route,
      ...ROUTE_WIDGET,
      left: [
        m(ROUTE_METRIC.latency, "p50", "latency p50"),
        m(ROUTE_METRIC.latency, "p99", "latency p99"),
      ],
      right: [
        m(ROUTE_METRIC.clientErrors, "Sum", "4xx"),
        m(ROUTE_METRIC.serverErrors, "Sum", "5xx"),
      ],
      leftYAxis: { label: "ms", min: 0, showUnits: false },
      rightYAxis: { label: "answers", min: 0, showUnits: false },
    });
  });
}

export function stageDashboard(stack: Stack, stage: string, alarms: IAlarm[]): Dashboard {
  const dashboard = new Dashboard(stack, "Dashboard", {
    dashboardName: dashboardName(stage),
    defaultInterval: Duration.hours(3),
  });
  const processor = photoProcessorFunctionName(stage);
  const table = tableName(stage);
  const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
    new GraphWidget({ title, ...WIDE, left, right });

  dashboard.addWidgets(
    new TextWidget({
      markdown:
        `# Localstays ${stage}\nRoutes from the route table, metrics from \`packages/functions/src/metrics.ts\` ` +
        `(namespace \`${METRIC_NAMESPACE}\`). Logs: CloudWatch Logs Insights over \`/aws/lambda/localstays-${stage}-*\` (docs/operations.md).`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(new AlarmStatusWidget({ title: "Alarms", alarms, width: 24, height: 4 }));
  dashboard.addWidgets(...routeWidgets(stage));
  dashboard.addWidgets(
    graph(
      "Lambda concurrency and throttles (account)",
      [aws("AWS/Lambda", "ConcurrentExecutions", "Maximum", {}, "concurrent executions")],
      [aws("AWS/Lambda", "Throttles", "Sum", {}, "throttles")],
    ),
    graph(
      "Image processor",
      [
        aws("AWS/Lambda", "Duration", "p50", { FunctionName: processor }, "duration p50"),
        aws("AWS/Lambda", "Duration", "p99", { FunctionName: processor }, "duration p99"),
        custom(stage, SERVICE.images, PHOTO_METRIC.processingTime, "p99", {}, "per photo p99"),
      ],
      [
        aws(
          "AWS/Lambda",
          "ConcurrentExecutions",
          "Maximum",
          { FunctionName: processor },
          "concurrency",
        ),
        aws("AWS/Lambda", "Errors", "Sum", { FunctionName: processor }, "errors"),
      ],
    ),
    graph(
      "Upload queue",
      [
        aws(
          "AWS/SQS",
          "ApproximateAgeOfOldestMessage",
          "Maximum",
          { QueueName: uploadsQueueName(stage) },
          "oldest upload (s)",
        ),
      ],
      [
        aws(
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          "Maximum",
          { QueueName: uploadsDeadLetterQueueName(stage) },
          "DLQ depth",
        ),
      ],
    ),
    graph(
      `DynamoDB ${table}`,
      [
        aws("AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", { TableName: table }, "read units"),
        aws(
          "AWS/DynamoDB",
          "ConsumedWriteCapacityUnits",
          "Sum",
          { TableName: table },
          "write units",
        ),
      ],
      [
        aws("AWS/DynamoDB", "ReadThrottleEvents", "Sum", { TableName: table }, "read throttles"),
        aws("AWS/DynamoDB", "WriteThrottleEvents", "Sum", { TableName: table }, "write throttles"),
      ],
    ),
    graph(
      "Listings",
      Object.values(LISTING_EVENT).map((event) =>
        custom(stage, SERVICE.api, event, "Sum", {}, event.name),
      ),
    ),
    graph(
      "Photos",
      [
        custom(stage, SERVICE.images, PHOTO_METRIC.ready, "Sum", {}, "READY"),
        ...PHOTO_FAILURE_REASONS.map((reason) =>
          custom(
            stage,
            SERVICE.images,
            PHOTO_METRIC.failed,
            "Sum",
            { [DIMENSION.reason]: reason },
            `FAILED ${reason}`,
          ),
        ),
      ],
      [
        custom(stage, SERVICE.images, PHOTO_METRIC.inputMegapixels, "p50", {}, "input MP p50"),
        custom(stage, SERVICE.images, PHOTO_METRIC.inputMegapixels, "Maximum", {}, "input MP max"),
      ],
    ),
    graph("Migrations applied", [
      custom(stage, SERVICE.cli, MIGRATION_METRIC.applied, "Sum", {}, "applied"),
    ]),
  );
  return dashboard;
}
