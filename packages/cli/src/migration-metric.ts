import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DIMENSION,
  METRIC_NAMESPACE,
  MIGRATION_METRIC,
  SERVICE,
} from "@localstays/functions/metrics";

/**
 * `MigrationsApplied` (packages/functions/src/metrics.ts) for an AWS stage, after
 * `migrate run --apply` applied some: one PutMetricData call, since the CLI does not run in
 * Lambda, where an EMF log line would do. The migration is done whatever happens here, so a
 * failure (no cloudwatch:PutMetricData right, no network) is reported, not thrown.
 */
export async function recordMigrationsApplied(
  client: CloudWatchClient,
  stage: string,
  applied: number,
  log: (line: string) => void,
): Promise<boolean> {
  if (applied === 0) return false;
  const { name, unit } = MIGRATION_METRIC.applied;
  try {
    await client.send(
      new PutMetricDataCommand({
        Namespace: METRIC_NAMESPACE,
        MetricData: [
          {
            MetricName: name,
            Unit: unit,
            Value: applied,
            Dimensions: [
              { Name: DIMENSION.service, Value: SERVICE.cli },
              { Name: DIMENSION.stage, Value: stage },
            ],
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    const { name: errorName, message } = error as Error;
    log(
      `Could not record the ${name} metric (${errorName}: ${message}); the migration itself is applied.`,
    );
    return false;
  }
}
