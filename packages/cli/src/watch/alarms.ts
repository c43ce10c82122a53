import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
  type StateValue,
} from "@aws-sdk/client-cloudwatch";
import { awsCall } from "../aws-errors.js";
import { CliError } from "../errors.js";

/**
 * The post-deploy watch: the stage's alarms (every alarm whose name starts with the stage's
 * prefix, metric and composite) polled for a while. It fails on the first poll that finds an
 * alarm in ALARM, not at the end: the deploy job should fail (and a person or the rollback
 * act) while the cause is fresh, and nothing later in the window could make it pass again.
 * INSUFFICIENT_DATA is no failure: a quiet stage sends no metrics.
 */
export interface AlarmState {
  name: string;
  state: StateValue | "UNKNOWN";
  reason?: string;
  since?: string;
}

export interface Poll {
  at: string;
  counts: Record<string, number>;
  inAlarm: AlarmState[];
}

export interface WatchResult {
  prefix: string;
  region: string;
  ok: boolean;
  polls: Poll[];
  /** The alarms seen on the last poll. */
  alarms: AlarmState[];
}

export interface WatchOptions {
  client: CloudWatchClient;
  prefix: string;
  region: string;
  minutes: number;
  intervalSeconds: number;
  /** Injected so tests need no real waiting. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onPoll?: (poll: Poll) => void;
}

const toState = (alarm: MetricAlarm | CompositeAlarm): AlarmState => ({
  name: alarm.AlarmName ?? "(unnamed)",
  state: alarm.StateValue ?? "UNKNOWN",
  ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
  ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.toISOString() } : {}),
});

/** Every alarm with the prefix, all pages (DescribeAlarms returns at most 100 a page). */
export async function describeAlarms(
  client: CloudWatchClient,
  prefix: string,
  region: string,
): Promise<AlarmState[]> {
  const alarms: AlarmState[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall("cloudwatch:DescribeAlarms", region, () =>
      client.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          // Without AlarmTypes, DescribeAlarms returns metric alarms only.
          AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    alarms.push(...(page.MetricAlarms ?? []).map(toState));
    alarms.push(...(page.CompositeAlarms ?? []).map(toState));
    token = page.NextToken;
  } while (token);
  return alarms;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function watchAlarms(options: WatchOptions): Promise<WatchResult> {
  const { client, prefix, region, onPoll } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const deadline = now() + options.minutes * 60_000;
  const polls: Poll[] = [];
  for (;;) {
    const alarms = await describeAlarms(client, prefix, region);
    if (alarms.length === 0) {
      // A wrong prefix or region would otherwise watch nothing and pass.
      throw new CliError(
        `No CloudWatch alarm in ${region} starts with "${prefix}": is the stage deployed there (--region)?`,
      );
    }
    const counts: Record<string, number> = { OK: 0, ALARM: 0, INSUFFICIENT_DATA: 0 };
    for (const alarm of alarms) counts[alarm.state] = (counts[alarm.state] ?? 0) + 1;
    const poll = {
      at: new Date(now()).toISOString(),
      counts,
      inAlarm: alarms.filter((alarm) => alarm.state === "ALARM"),
    };
    polls.push(poll);
    onPoll?.(poll);
    if (poll.inAlarm.length > 0 || now() >= deadline) {
      return { prefix, region, ok: poll.inAlarm.length === 0, polls, alarms };
    }
    await sleep(Math.min(options.intervalSeconds * 1000, deadline - now()));
  }
}
