import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { alarmNamePrefix } from "../../../stacks/names.js";
import { pollLine, watch } from "../src/commands/watch.js";
import { CliError } from "../src/errors.js";

/**
 * `localstays watch` on recorded-shape DescribeAlarms responses, with a fake clock: sleeping
 * advances the clock, so ten minutes of watching take no time.
 */
const cloudWatch = mockClient(CloudWatchClient);

/** A MetricAlarm as DescribeAlarms returns it (fields trimmed to those AWS always sends). */
function metricAlarm(
  name: string,
  state: "OK" | "ALARM" | "INSUFFICIENT_DATA",
  reason?: string,
): MetricAlarm {
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:eu-north-1:041608526793:alarm:${name}`,
    AlarmDescription: "The HTTP API answered 5xx: every 5xx is a bug.",
    AlarmConfigurationUpdatedTimestamp: new Date("2026-12-01T09:12:44.512Z"),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: ["arn:aws:sns:eu-north-1:041608526793:LocalstaysDev1MonitoringStack-AlarmTopic"],
    InsufficientDataActions: [],
    StateValue: state,
    StateReason:
      reason ??
      "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
    StateUpdatedTimestamp: new Date("2026-12-02T08:01:03.118Z"),
    MetricName: "5xx",
    Namespace: "AWS/ApiGateway",
    Statistic: "Sum",
    Dimensions: [
      { Name: "ApiId", Value: "a1b2c3d4e5" },
      { Name: "Stage", Value: "$default" },
    ],
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 10,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
    StateTransitionedTimestamp: new Date("2026-12-02T08:01:03.118Z"),
  };
}

const prefix = alarmNamePrefix("dev1");
const healthy = [
  metricAlarm(`${prefix}api-5xx`, "OK"),
  metricAlarm(`${prefix}GET-api-v1-me-errors`, "INSUFFICIENT_DATA"),
];

function fakeClock() {
  let time = Date.parse("2026-12-02T12:00:00.000Z");
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

function run(minutes: number, interval = 30) {
  const clock = fakeClock();
  const out: string[] = [];
  const logged: string[] = [];
  const result = watch(
    { stage: "dev1", minutes, interval },
    {
      cloudWatch: (region) => new CloudWatchClient({ region }),
      now: clock.now,
      sleep: clock.sleep,
      print: (line) => out.push(line),
      log: (line) => logged.push(line),
    },
  );
  return { result, out, clock, logged };
}

beforeEach(() => {
  cloudWatch.reset();
});

describe("localstays watch", () => {
  it("polls the stage's alarms (metric and composite) for the whole window and passes", async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: healthy, CompositeAlarms: [] });
    const { result, out, clock, logged } = run(2, 30);
    const watched = await result;
    expect(watched.ok).toBe(true);
    // The stage's dashboard first: the Monitoring stack's DashboardUrl output.
    expect(logged[0]).toBe(
      "Dashboard: https://eu-north-1.console.aws.amazon.com/cloudwatch/home?region=eu-north-1#dashboards/dashboard/localstays-dev1",
    );
    // t = 0, 30, 60, 90, 120 s: the last poll is at the end of the window.
    expect(watched.polls).toHaveLength(5);
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000, 30_000]);
    expect(out[0]).toBe("2026-12-02T12:00:00.000Z  OK 1, ALARM 0, INSUFFICIENT_DATA 1");
    expect(out.at(-1)).toBe("OK: 2 alarms, none in ALARM over 2 min (5 polls).");
    const input = cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input;
    expect(input).toEqual({
      AlarmNamePrefix: "localstays-dev1-",
      AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
    });
  });

  it("fails at the first poll that finds an alarm in ALARM, naming it with its reason", async () => {
    const reason =
      "Threshold Crossed: 1 datapoint [3.0 (02/12/26 12:00:00)] was greater than or equal to the threshold (1.0).";
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: healthy })
      .resolves({
        MetricAlarms: [metricAlarm(`${prefix}api-5xx`, "ALARM", reason), ...healthy.slice(1)],
      });
    const { result, out } = run(10, 30);
    const watched = await result;
    expect(watched.ok).toBe(false);
    expect(watched.polls).toHaveLength(2);
    expect(out[1]).toBe(
      `2026-12-02T12:00:30.000Z  OK 0, ALARM 1, INSUFFICIENT_DATA 1\n  ALARM localstays-dev1-api-5xx: ${reason}`,
    );
    expect(out.at(-1)).toBe("FAILED: localstays-dev1-api-5xx in ALARM.");
  });

  it("reads every page and counts composite alarms too", async () => {
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: healthy, NextToken: "page-2" })
      .resolvesOnce({
        MetricAlarms: [],
        CompositeAlarms: [
          {
            AlarmName: `${prefix}release`,
            AlarmArn: `arn:aws:cloudwatch:eu-north-1:041608526793:alarm:${prefix}release`,
            AlarmRule: `ALARM("${prefix}api-5xx")`,
            StateValue: "ALARM",
            StateReason: `arn:aws:cloudwatch:eu-north-1:041608526793:alarm:${prefix}api-5xx transitioned to ALARM`,
            StateUpdatedTimestamp: new Date("2026-12-02T12:00:00.000Z"),
          },
        ],
      });
    const { result } = run(0);
    const watched = await result;
    expect(watched.ok).toBe(false);
    expect(watched.alarms.map((alarm) => alarm.name)).toEqual([
      `${prefix}api-5xx`,
      `${prefix}GET-api-v1-me-errors`,
      `${prefix}release`,
    ]);
    const calls = cloudWatch.commandCalls(DescribeAlarmsCommand);
    expect(calls[1]?.args[0].input.NextToken).toBe("page-2");
  });

  it("refuses to watch nothing: no alarm with the stage's prefix is an error", async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    await expect(run(5).result).rejects.toThrow(
      /No CloudWatch alarm in eu-north-1 starts with "localstays-dev1-"/,
    );
  });

  it("says what to do when the credentials may not describe alarms", async () => {
    const denied = Object.assign(
      new Error(
        "User: arn:aws:sts::041608526793:assumed-role/dev/alice is not authorized to perform: cloudwatch:DescribeAlarms",
      ),
      { name: "AccessDenied", $metadata: { httpStatusCode: 403 } },
    );
    cloudWatch.on(DescribeAlarmsCommand).rejects(denied);
    const failure = run(5).result;
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow(
      /may not call cloudwatch:DescribeAlarms in eu-north-1 \(AccessDenied: User: .*alice/,
    );
  });

  it("says so when there are no credentials at all", async () => {
    cloudWatch.on(DescribeAlarmsCommand).rejects(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    );
    await expect(run(5).result).rejects.toThrow(/No usable AWS credentials/);
  });

  it("refuses the local stage, which has no alarms", async () => {
    await expect(watch({ stage: "local", minutes: 1, interval: 30 })).rejects.toThrow(
      /the local stack has none/,
    );
  });

  it("prints a poll line with every alarm in ALARM", () => {
    expect(
      pollLine({
        at: "2026-12-02T12:00:00.000Z",
        counts: { OK: 3, ALARM: 2, INSUFFICIENT_DATA: 0 },
        inAlarm: [
          { name: "a", state: "ALARM", reason: "r1" },
          { name: "b", state: "ALARM", reason: "r2" },
        ],
      }),
    ).toBe(
      "2026-12-02T12:00:00.000Z  OK 3, ALARM 2, INSUFFICIENT_DATA 0\n  ALARM a: r1\n  ALARM b: r2",
    );
  });
});
