import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { Command } from "commander";
import { type Output, outputOf, resolveAwsStage, wholeNumber } from "../aws-stage.js";
import { type Poll, type WatchResult, watchAlarms } from "../watch/alarms.js";

/**
 * `localstays watch --stage X --minutes N`: after a deploy (and verify, and smoke), the
 * stage's CloudWatch alarms are polled for N minutes, a line per poll; the first poll with an
 * alarm in ALARM fails the command (exit 1). In prod the canary's alarms roll a bad release
 * back during its first minutes; the watch covers the minutes after. Reads only.
 */
export interface WatchCommandOptions {
  stage: string;
  region?: string;
  minutes: number;
  interval: number;
  json?: boolean;
}

export interface WatchDependencies extends Partial<Output> {
  cloudWatch?: (region: string) => CloudWatchClient;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function pollLine(poll: Poll): string {
  const counts = Object.entries(poll.counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
  const names = poll.inAlarm.map((alarm) => `\n  ALARM ${alarm.name}: ${alarm.reason ?? ""}`);
  return `${poll.at}  ${counts}${names.join("")}`;
}

export async function watch(
  options: WatchCommandOptions,
  deps: WatchDependencies = {},
): Promise<WatchResult> {
  const { print, log } = outputOf(deps);
  const target = await resolveAwsStage(
    options,
    "watch reads CloudWatch alarms of an AWS stage; the local stack has none.",
  );
  const { alarmNamePrefix, dashboardUrl } = await import("../../../../stacks/names.js");
  const prefix = alarmNamePrefix(target.stage);
  // The Monitoring stack's DashboardUrl output, from the same helper: no call needed.
  log(`Dashboard: ${dashboardUrl(target.region, target.stage)}`);
  const client =
    deps.cloudWatch?.(target.region) ?? new CloudWatchClient({ region: target.region });
  log(
    `Watching alarms ${prefix}* in ${target.region}${target.prod ? " (PROD)" : ""} for ` +
      `${options.minutes} min, every ${options.interval} s; the first alarm in ALARM fails.`,
  );
  const result = await watchAlarms({
    client,
    prefix,
    region: target.region,
    minutes: options.minutes,
    intervalSeconds: options.interval,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    // With --json, stdout carries the JSON only: the poll lines go to stderr.
    onPoll: (poll) => (options.json ? log : print)(pollLine(poll)),
  });
  const summary = result.ok
    ? `OK: ${result.alarms.length} alarms, none in ALARM over ${options.minutes} min (${result.polls.length} polls).`
    : `FAILED: ${result.polls
        .at(-1)
        ?.inAlarm.map((alarm) => alarm.name)
        .join(", ")} in ALARM.`;
  if (options.json) print(JSON.stringify(result, null, 2));
  else print(summary);
  return result;
}

const HELP = `
Prints the stage's CloudWatch dashboard URL (the Monitoring stack's DashboardUrl output), then
polls CloudWatch DescribeAlarms for every alarm named ${"`localstays-<stage>-...`"} (metric and
composite alarms, all pages) and prints a line per poll: time, count by state, the alarms
in ALARM with their reason. Exit 1 at the first poll with an alarm in ALARM, or when no
alarm has the stage's prefix (watching nothing would pass); exit 0 after --minutes.
INSUFFICIENT_DATA (no traffic) does not fail.

Example (the deploy jobs, after verify and smoke):
  pnpm -s localstays watch --stage staging --minutes 10
`;

export function registerWatchCommand(program: Command): void {
  program
    .command("watch")
    .description("Watch a deployed stage's CloudWatch alarms for N minutes (exit 1 on ALARM)")
    .requiredOption("--stage <stage>", "an AWS stage, e.g. dev1")
    .option("--region <region>", "the region (default: the stage's, stacks/stage.ts)")
    .option("--minutes <n>", "how long to watch", wholeNumber("--minutes", 0, 180), 10)
    .option("--interval <seconds>", "seconds between polls", wholeNumber("--interval", 5, 600), 30)
    .option("--json", "print the result as JSON (poll lines go to stderr)")
    .addHelpText("after", HELP)
    .action(async (options: WatchCommandOptions) => {
      const result = await watch(options);
      if (!result.ok) process.exitCode = 1;
    });
}
