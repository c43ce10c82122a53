import { Duration } from "aws-cdk-lib";
import { CfnBudget } from "aws-cdk-lib/aws-budgets";
import { SlackChannelConfiguration } from "aws-cdk-lib/aws-chatbot";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { ManagedPolicy, PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { type StackContext, use } from "sst/constructs";
import { slug } from "../packages/core/src/names.js";
import {
  mailConfigurationSetName,
  outboxDeadLetterQueueName,
  uploadsDeadLetterQueueName,
  uploadsQueueName,
} from "../packages/functions/src/function-names.js";
import { Api } from "./Api.js";
import { stageDashboard } from "./dashboard.js";
import {
  ALARM,
  alarmChannelName,
  alarmName,
  BUDGET_ALERT_PERCENTS,
  budgetName,
  dashboardUrl,
  fromOurAlarms,
  fromOurBudgets,
  functionErrorsPurpose,
  watchedFunctions,
} from "./names.js";
import { Params } from "./Params.js";
import { type AlarmSettings, APP_NAME, stageSettings } from "./stage.js";

export function Monitoring({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { key } = use(Params);
  const { api } = use(Api);

  const topic = new Topic(stack, "AlarmTopic", {
    displayName: `${APP_NAME} ${app.stage} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  // The TLS-only policy replaces SNS's default topic policy, so CloudWatch's right to publish
  // is stated explicitly.
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions: fromOurAlarms(stack, app.stage),
    }),
  );
  // AWS Budgets publishes the stage's budget alerts (below) to the same topic.
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("budgets.amazonaws.com")],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions: fromOurBudgets(stack),
    }),
  );
  const notify = new SnsAction(topic);
  const alarms: Alarm[] = [];

  const { emails, slack } = settings.alerts;
  for (const email of emails) topic.addSubscription(new EmailSubscription(email));
  if (slack) {
    new SlackChannelConfiguration(stack, "AlarmSlackChannel", {
      slackChannelConfigurationName: alarmChannelName(app.stage),
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [topic],
      // The channel only shows alarms. Chatbot's default guardrail is AdministratorAccess,
      // which would let anyone in the channel run any command through its (empty) role.
      guardrailPolicies: [ManagedPolicy.fromAwsManagedPolicyName("ReadOnlyAccess")],
    });
  }

  function alarm(name: string, description: string, metric: IMetric, limits: AlarmSettings) {
    const created = new Alarm(stack, slug(name), {
      alarmName: alarmName(app.stage, name),
      alarmDescription: description,
      metric,
      threshold: limits.threshold,
      evaluationPeriods: limits.evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not an outage.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(notify);
    alarms.push(created);
  }

  const { api5xx, lambdaErrors, lambdaThrottles } = settings.alarms;
  alarm(
    ALARM.api5xx,
    "The HTTP API answered 5xx: every 5xx is a bug (handlers map known errors to 4xx).",
    new Metric({
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensionsMap: { ApiId: api.httpApiId, Stage: "$default" },
      statistic: "Sum",
      period: Duration.minutes(api5xx.periodMinutes),
    }),
    api5xx,
  );

  // By function name, not by a reference to the function: a reference would be a
  // CloudFormation export of the Api stack, and an export in use cannot be removed, so
  // deleting a route would fail to deploy.
  for (const { what, name } of watchedFunctions(app.stage)) {
    alarm(
      functionErrorsPurpose(app.stage, name),
      `Lambda errors in ${name} (${what}).`,
      new Metric({
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensionsMap: { FunctionName: name },
        statistic: "Sum",
        period: Duration.minutes(lambdaErrors.periodMinutes),
      }),
      lambdaErrors,
    );
  }

  // A message lands in the DLQ only after three failed receives: an upload the processor
  // could not handle at all (a bad file is not a failure, core records it). Any is a bug, in
  // every stage. By queue name, like the functions above.
  const deadLetters = uploadsDeadLetterQueueName(app.stage);
  alarm(
    ALARM.uploadsDeadLetters,
    `Uploads the image processor gave up on are waiting in ${deadLetters}: inspect, fix, redrive.`,
    new Metric({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensionsMap: { QueueName: deadLetters },
      statistic: "Maximum",
      period: Duration.minutes(5),
    }),
    // Depth > 0: the alarm compares with >=, and the depth is a whole number.
    { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  );

  // The outbox's DLQ holds the stream position of a batch the delivery gave up on (SES down for
  // longer than the retries, or a bug); its outbox items wait, PENDING, in the table.
  const outboxDeadLetters = outboxDeadLetterQueueName(app.stage);
  alarm(
    ALARM.outboxDeadLetters,
    `Host notifications the outbox delivery gave up on are recorded in ${outboxDeadLetters}: ` +
      "their outbox items are still PENDING in the table (docs/operations.md).",
    new Metric({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensionsMap: { QueueName: outboxDeadLetters },
      statistic: "Maximum",
      period: Duration.minutes(5),
    }),
    { threshold: 1, periodMinutes: 5, evaluationPeriods: 1 },
  );

  // SES's per-configuration-set reputation metric (reputation metrics are on in Mail.ts). SES
  // puts an account under review at a 5% bounce rate and may pause its sending at 10%.
  const { bounceRate } = settings.mail;
  alarm(
    ALARM.mailBounceRate,
    `The bounce rate of the stage's mail reached ${bounceRate.threshold * 100}%: SES reviews the ` +
      "account at 5% and may pause its sending at 10%.",
    new Metric({
      namespace: "AWS/SES",
      metricName: "Reputation.BounceRate",
      dimensionsMap: { "ses:configuration-set": mailConfigurationSetName(app.stage) },
      statistic: "Maximum",
      period: Duration.minutes(bounceRate.periodMinutes),
    }),
    bounceRate,
  );

  // The queue keeps a message 14 days; this says much sooner that uploads wait too long.
  const uploadsAge = settings.alarms.uploadsOldestAge;
  alarm(
    ALARM.uploadsOldestAge,
    `An upload has waited ${uploadsAge.threshold} s or more in ${uploadsQueueName(app.stage)}: the image processor is not keeping up.`,
    new Metric({
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensionsMap: { QueueName: uploadsQueueName(app.stage) },
      statistic: "Maximum",
      period: Duration.minutes(uploadsAge.periodMinutes),
    }),
    uploadsAge,
  );

  // One account-wide throttle alarm instead of one per function: throttling comes from the
  // account's shared concurrency, so it is the same signal for every function (in the
  // shared dev account it also reflects the other dev stages).
  alarm(
    ALARM.lambdaThrottles,
    "Lambda invocations throttled in this account and region.",
    new Metric({
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      statistic: "Sum",
      period: Duration.minutes(lambdaThrottles.periodMinutes),
    }),
    lambdaThrottles,
  );

  // The stage's monthly cost budget. dev1 and staging share an account, so the budget counts
  // only costs tagged stage=<stage>: the `stage` cost-allocation tag has to be activated once
  // per account in the Billing console (docs/operations.md), or the budget sees nothing.
  new CfnBudget(stack, "Budget", {
    budget: {
      budgetName: budgetName(app.stage),
      budgetType: "COST",
      timeUnit: "MONTHLY",
      budgetLimit: { amount: settings.monthlyBudgetUsd, unit: "USD" },
      costFilters: { TagKeyValue: [`user:stage$${app.stage}`] },
    },
    notificationsWithSubscribers: BUDGET_ALERT_PERCENTS.map((percent) => ({
      notification: {
        notificationType: "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold: percent,
        thresholdType: "PERCENTAGE",
      },
      subscribers: [{ subscriptionType: "SNS", address: topic.topicArn }],
    })),
  });

  stageDashboard(stack, app.stage, alarms);
  stack.addOutputs({
    AlarmTopicArn: topic.topicArn,
    DashboardUrl: dashboardUrl(stack.region, app.stage),
  });
  return { topic };
}
