import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { recordMigrationsApplied } from "../src/migration-metric.js";

const cloudWatch = mockClient(CloudWatchClient);
beforeEach(() => cloudWatch.reset());

describe("the MigrationsApplied metric of `migrate run --apply`", () => {
  it("puts the count in the app's namespace with service and Stage, nothing else", async () => {
    cloudWatch.on(PutMetricDataCommand).resolves({});
    const logged: string[] = [];
    const client = new CloudWatchClient({ region: "eu-north-1" });
    expect(await recordMigrationsApplied(client, "staging", 2, (l) => logged.push(l))).toBe(true);
    expect(cloudWatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input).toEqual({
      Namespace: "Localstays",
      MetricData: [
        {
          MetricName: "MigrationsApplied",
          Unit: "Count",
          Value: 2,
          Dimensions: [
            { Name: "service", Value: "localstays-cli" },
            { Name: "Stage", Value: "staging" },
          ],
        },
      ],
    });
    expect(logged).toEqual([]);
  });

  it("puts nothing when nothing was applied", async () => {
    const client = new CloudWatchClient({ region: "eu-north-1" });
    expect(await recordMigrationsApplied(client, "staging", 0, () => {})).toBe(false);
    expect(cloudWatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it("reports a refused call without failing the applied migration", async () => {
    const denied = Object.assign(new Error("not authorized to perform cloudwatch:PutMetricData"), {
      name: "AccessDenied",
    });
    cloudWatch.on(PutMetricDataCommand).rejects(denied);
    const logged: string[] = [];
    const client = new CloudWatchClient({ region: "eu-north-1" });
    expect(await recordMigrationsApplied(client, "prod", 1, (l) => logged.push(l))).toBe(false);
    expect(logged).toEqual([
      "Could not record the MigrationsApplied metric (AccessDenied: not authorized to perform cloudwatch:PutMetricData); the migration itself is applied.",
    ]);
  });
});
