import { Duration, type Stack } from "aws-cdk-lib";
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupVault,
  TagOperation,
} from "aws-cdk-lib/aws-backup";
import { Schedule } from "aws-cdk-lib/aws-events";
import { ManagedPolicy, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { NagSuppressions } from "cdk-nag";
import { stageResourceName } from "../packages/core/src/names.js";
import type { StageSettings } from "./stage.js";

/**
 * The tag AWS Backup selects the stage's resources by: the table (stacks/Data.ts) and the
 * photo bucket (stacks/Storage.ts) carry `localstays:backup=<stage>`, and so does a restored
 * table once `localstays restore --cutover` has copied the old table's tags onto it.
 */
export const BACKUP_TAG = "localstays:backup";

/** AWS Backup's managed policies: DynamoDB and other services, plus S3's own pair. */
const BACKUP_POLICIES = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "service-role/AWSBackupServiceRolePolicyForRestores",
  "AWSBackupServiceRolePolicyForS3Backup",
  "AWSBackupServiceRolePolicyForS3Restore",
];

/**
 * The stage's AWS Backup plan: a vault encrypted with the stage's key, daily backups at
 * 03:00 UTC and monthly ones on the 1st, each kept as long as `settings.backup` says, of every
 * resource tagged `BACKUP_TAG=<stage>` in the stage's account and region.
 *
 * No cross-region copy: copying DynamoDB backups to another region needs AWS Backup's
 * advanced DynamoDB features, an account-level opt-in CloudFormation cannot set, and SST v2
 * puts every stack in the stage's region (docs/operations.md describes the manual step).
 */
export function backupPlan(stack: Stack, stage: string, settings: StageSettings, key: IKey) {
  const backup = settings.backup;
  if (!backup) throw new Error(`Stage ${stage} has no backup settings`);
  const vault = new BackupVault(stack, "BackupVault", {
    backupVaultName: stageResourceName(stage, "backups"),
    encryptionKey: key,
    removalPolicy: settings.removalPolicy,
  });
  const plan = new BackupPlan(stack, "BackupPlan", {
    backupPlanName: stageResourceName(stage, "backups"),
    backupVault: vault,
    backupPlanRules: [
      new BackupPlanRule({
        ruleName: "daily",
        scheduleExpression: Schedule.cron({ minute: "0", hour: "3" }),
        deleteAfter: Duration.days(backup.dailyRetentionDays),
      }),
      new BackupPlanRule({
        ruleName: "monthly",
        scheduleExpression: Schedule.cron({ minute: "0", hour: "4", day: "1" }),
        deleteAfter: Duration.days(backup.monthlyRetentionDays),
      }),
    ],
  });
  const role = new Role(stack, "BackupRole", {
    assumedBy: new ServicePrincipal("backup.amazonaws.com"),
    description: `AWS Backup for ${stage}: backs up and restores the tagged table and bucket`,
    managedPolicies: BACKUP_POLICIES.map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
  NagSuppressions.addResourceSuppressions(role, [
    {
      id: "AwsSolutions-IAM4",
      reason:
        "AWS Backup's own service-role policies: AWS keeps them in step with what each " +
        "service's backup and restore calls need (DynamoDB, S3).",
    },
  ]);
  plan.addSelection("Tagged", {
    backupSelectionName: stageResourceName(stage, "tagged"),
    resources: [BackupResource.fromTag(BACKUP_TAG, stage, TagOperation.STRING_EQUALS)],
    role,
  });
  return { vault, plan };
}
