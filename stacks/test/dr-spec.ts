import { expect, it } from "vitest";
import { estimate } from "../../packages/cli/src/cost/estimate.js";
import type { SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import {
  only,
  refersTo,
  resources,
  STAGE_STREAM_PARAMETER,
  STAGE_TABLE_PARAMETER,
  type Statement,
  tagsOf,
} from "./template.js";

/**
 * Disaster recovery and cost per stage (issue 17): PITR, the AWS Backup plan, the table
 * setting a restore cuts over, and the budget that alerts into the alarm topic.
 */
export function drSpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage } = expected;
  const settingName = `/localstays/${stage}/table-name`;
  const streamSettingName = `/localstays/${stage}/table-stream-arn`;

  it(`${expected.pointInTimeRecovery ? "turns on" : "leaves off"} point-in-time recovery on the table`, () => {
    const table = only(ctx.result, "AWS::DynamoDB::Table");
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: expected.pointInTimeRecovery,
    });
  });

  it(`reads the table every function uses from the stage's setting ${settingName}`, () => {
    const { result } = ctx;
    const setting = resources(result, "AWS::SSM::Parameter", "Params").find(
      (p) => p.Properties.Name === settingName,
    );
    expect(setting?.Properties.Value).toBe(`localstays-${stage}`);
    expect(setting?.Properties.Type).toBe("String");
    // Every stack with a function that reaches the table reads the setting itself (an export
    // from Data could not change while imported, which would block a cut-over).
    const readers = Object.entries(result.stacks)
      .filter(([, { template }]) => template.Parameters?.[STAGE_TABLE_PARAMETER])
      .map(([id]) => id)
      .sort();
    expect(readers).toEqual(["Api", "Auth", "Data", "Images", "Mail"]);
    for (const id of readers) {
      const parameter =
        result.stacks[id as keyof SynthResult["stacks"]].template.Parameters[STAGE_TABLE_PARAMETER];
      expect(parameter).toMatchObject({
        Type: "AWS::SSM::Parameter::Value<String>",
        Default: settingName,
      });
    }
    const output = result.stacks.Data.template.Outputs.TableName;
    expect(output.Value).toEqual({ Ref: STAGE_TABLE_PARAMETER });
    // No stack takes the table's name, ARN or stream from the Data stack.
    const table = only(result, "AWS::DynamoDB::Table").logicalId;
    for (const [id, { template }] of Object.entries(result.stacks)) {
      if (id === "Data") continue;
      expect(refersTo(Object.values(template.Resources), table), id).toBe(false);
    }
  });

  it(`reads the outbox delivery's stream from the stage's setting ${streamSettingName}`, () => {
    const { result } = ctx;
    const table = only(result, "AWS::DynamoDB::Table").logicalId;
    const setting = resources(result, "AWS::SSM::Parameter", "Data").find(
      (p) => p.Properties.Name === streamSettingName,
    );
    expect(setting?.Properties.Value).toEqual({ "Fn::GetAtt": [table, "StreamArn"] });
    const readers = Object.entries(result.stacks)
      .filter(([, { template }]) => template.Parameters?.[STAGE_STREAM_PARAMETER])
      .map(([id]) => id);
    expect(readers).toEqual(["Mail"]);
    expect(result.stacks.Mail.template.Parameters[STAGE_STREAM_PARAMETER]).toMatchObject({
      Type: "AWS::SSM::Parameter::Value<String>",
      Default: streamSettingName,
    });
    // The Mail stack deploys after the Data stack, which creates the setting.
    expect(result.stacks.Mail.dependsOn).toContain("Data");
  });

  if (expected.backup) {
    const { dailyDays, monthlyDays } = expected.backup;
    it(`backs up the table and the photo bucket daily (${dailyDays} days) and monthly (${monthlyDays} days) into a vault under the stage's key`, () => {
      const { result } = ctx;
      const plan = only(result, "AWS::Backup::BackupPlan").Properties.BackupPlan;
      const rules = Object.fromEntries(
        (
          plan.BackupPlanRule as {
            RuleName: string;
            ScheduleExpression: string;
            Lifecycle: { DeleteAfterDays: number };
          }[]
        ).map((rule) => [rule.RuleName, rule]),
      );
      expect(rules.daily?.Lifecycle.DeleteAfterDays).toBe(dailyDays);
      expect(rules.daily?.ScheduleExpression).toBe("cron(0 3 * * ? *)");
      expect(rules.monthly?.Lifecycle.DeleteAfterDays).toBe(monthlyDays);
      expect(rules.monthly?.ScheduleExpression).toBe("cron(0 4 1 * ? *)");

      const vault = only(result, "AWS::Backup::BackupVault");
      expect(
        refersTo(vault.Properties.EncryptionKeyArn, only(result, "AWS::KMS::Key").logicalId),
      ).toBe(true);
      expect(vault.DeletionPolicy).toBe("Retain");

      const selection = only(result, "AWS::Backup::BackupSelection").Properties.BackupSelection;
      expect(selection.ListOfTags).toEqual([
        { ConditionKey: "localstays:backup", ConditionValue: stage, ConditionType: "STRINGEQUALS" },
      ]);
      const table = only(result, "AWS::DynamoDB::Table");
      const photos = resources(result, "AWS::S3::Bucket").find(
        (b) => b.Properties.CorsConfiguration,
      );
      for (const tagged of [table, photos]) {
        expect(tagsOf(tagged as NonNullable<typeof tagged>)?.["localstays:backup"]).toBe(stage);
      }
      // AWS Backup for S3 needs versioning and its own managed policies on the role.
      expect(photos?.Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
      const role = resources(result, "AWS::IAM::Role", "Data").find((r) =>
        refersTo(selection.IamRoleArn, r.logicalId),
      );
      const policies = JSON.stringify(role?.Properties.ManagedPolicyArns);
      for (const name of [
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
      ]) {
        expect(policies).toContain(name);
      }
    });
  } else {
    it("has no AWS Backup plan (test data)", () => {
      const backup = resources(ctx.result).filter((r) => r.Type.startsWith("AWS::Backup::"));
      expect(backup).toEqual([]);
    });
  }

  it(`budgets $${expected.budgetUsd} a month on costs tagged stage=${stage}, alerting the alarm topic at 80% and 100%`, () => {
    const { result } = ctx;
    const budget = only(result, "AWS::Budgets::Budget").Properties;
    expect(budget.Budget).toEqual({
      BudgetName: `localstays-${stage}`,
      BudgetType: "COST",
      TimeUnit: "MONTHLY",
      BudgetLimit: { Amount: expected.budgetUsd, Unit: "USD" },
      CostFilters: { TagKeyValue: [`user:stage$${stage}`] },
    });
    const topic = only(result, "AWS::SNS::Topic", "Monitoring").logicalId;
    const alerts = (
      budget.NotificationsWithSubscribers as {
        Notification: { Threshold: number; NotificationType: string; ThresholdType: string };
        Subscribers: { SubscriptionType: string; Address: unknown }[];
      }[]
    ).map(({ Notification, Subscribers }) => ({
      threshold: Notification.Threshold,
      type: `${Notification.NotificationType} ${Notification.ThresholdType}`,
      toTopic:
        Subscribers.length === 1 &&
        Subscribers[0]?.SubscriptionType === "SNS" &&
        refersTo(Subscribers[0].Address, topic),
    }));
    expect(alerts).toEqual([
      { threshold: 80, type: "ACTUAL PERCENTAGE", toTopic: true },
      { threshold: 100, type: "ACTUAL PERCENTAGE", toTopic: true },
    ]);
  });

  it("sizes the budget above the quiet profile's estimate (localstays cost), so it alerts on real drift only", () => {
    const quiet = estimate(ctx.result, "quiet");
    expect(quiet.grossUsd).toBeGreaterThan(0);
    expect(quiet.grossUsd).toBeLessThan(expected.budgetUsd * 0.8);
  });

  it("lets AWS Budgets publish to the encrypted alarm topic: topic and key policies, this account only", () => {
    const { result } = ctx;
    const fromBudgets = (statement: Statement) =>
      JSON.stringify(statement.Principal) === JSON.stringify({ Service: "budgets.amazonaws.com" });
    const topicStatements = only(result, "AWS::SNS::TopicPolicy", "Monitoring").Properties
      .PolicyDocument.Statement as Statement[];
    const publish = topicStatements.find(fromBudgets);
    expect(publish?.Effect).toBe("Allow");
    expect(publish?.Action).toBe("sns:Publish");
    expect(publish?.Condition?.StringEquals?.["aws:SourceAccount"]).toBeDefined();
    expect(JSON.stringify(publish?.Condition?.ArnLike?.["aws:SourceArn"])).toContain(":budgets::");
    const keyStatements = only(result, "AWS::KMS::Key").Properties.KeyPolicy
      .Statement as Statement[];
    const useKey = keyStatements.find(fromBudgets);
    expect(useKey?.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(useKey?.Condition?.StringEquals?.["aws:SourceAccount"]).toBeDefined();
  });
}
