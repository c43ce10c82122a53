/**
 * The seed's Propagation Decision Matrix (Q3), as data: every change promote-check reports
 * lands in exactly one row, which says how risky it is, how long it takes and how to roll
 * it back. The first ten rows are the seed's; the rest cover what else this app deploys.
 *
 * The seed deploys with `cdk deploy <Stack>`, `./deploy.sh` and manual Cognito CLI calls;
 * here every infrastructure row deploys with `pnpm sst deploy <StackId> --stage <stage>`
 * (SST filters by stack id; the container image is built by that deploy too).
 */
export type Risk = "Low" | "Medium" | "High";

export const RISK_ORDER: Record<Risk, number> = { Low: 0, Medium: 1, High: 2 };

export type RowId =
  | "lambda-code"
  | "api-routes"
  | "dynamodb-schema"
  | "s3-bucket"
  | "cognito"
  | "docker-image"
  | "environment"
  | "data-migration"
  | "iam"
  | "alarms"
  | "lambda-config"
  | "releases"
  | "dynamodb-settings"
  | "kms"
  | "ssm"
  | "logs"
  | "queues"
  | "notifications"
  | "cdn"
  | "tags"
  | "outputs"
  | "other";

export interface MatrixRow {
  id: RowId;
  title: string;
  risk: Risk;
  time: string;
  rollback: string;
  /** A row of the seed's matrix, as opposed to one added for this app. */
  seed: boolean;
}

const rows: MatrixRow[] = [
  {
    id: "lambda-code",
    title: "Lambda code only",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "api-routes",
    title: "API Gateway routes",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "dynamodb-schema",
    title: "DynamoDB schema",
    risk: "High",
    time: "30+ min (plus GSI backfill)",
    rollback: "Complex - may need migration",
    seed: true,
  },
  {
    id: "s3-bucket",
    title: "S3 bucket config",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "cognito",
    title: "Cognito settings",
    risk: "High",
    time: "10 min",
    rollback: "Manual revert (redeploy previous version; schema changes cannot be undone)",
    seed: true,
  },
  {
    id: "docker-image",
    title: "Docker image",
    risk: "Medium",
    time: "20 min",
    rollback: "Redeploy previous image (redeploy previous version)",
    seed: true,
  },
  {
    id: "environment",
    title: "Environment vars",
    risk: "Low",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "data-migration",
    title: "Data migration",
    risk: "High",
    time: "20+ min",
    rollback: "Reverse migration script",
    seed: true,
  },
  {
    id: "iam",
    title: "IAM permissions",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "alarms",
    title: "CloudWatch alarms",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: true,
  },
  {
    id: "lambda-config",
    title: "Lambda functions (add/remove/config)",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "releases",
    title: "Lambda releases (versions, live aliases, CodeDeploy)",
    risk: "Medium",
    time: "5 min (prod: + the 5-minute canary at 10%)",
    rollback:
      "Automatic: CodeDeploy moves the live alias back when the function's errors alarm or the " +
      "API 5xx / DLQ alarm fires during the shift; after it, redeploy previous version",
    seed: false,
  },
  {
    id: "dynamodb-settings",
    title: "DynamoDB table settings",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "kms",
    title: "KMS keys",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version (a key scheduled for deletion can be cancelled)",
    seed: false,
  },
  {
    id: "ssm",
    title: "SSM parameters (Config)",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "logs",
    title: "Log groups and retention",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "queues",
    title: "SQS queues and event sources",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version (messages stay in the queue or DLQ)",
    seed: false,
  },
  {
    id: "notifications",
    title: "SNS topics",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "cdn",
    title: "CloudFront (CDN)",
    risk: "Medium",
    time: "15-30 min (edge propagation)",
    rollback: "Redeploy previous version (propagates to the edge again)",
    seed: false,
  },
  {
    id: "tags",
    title: "Resource tags",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
  {
    id: "outputs",
    title: "Stack outputs and exports",
    risk: "Low",
    time: "5 min",
    rollback: "Redeploy previous version (an export still imported cannot change)",
    seed: false,
  },
  {
    id: "other",
    title: "Other resources",
    risk: "Medium",
    time: "10 min",
    rollback: "Redeploy previous version",
    seed: false,
  },
];

export const MATRIX: Readonly<Record<RowId, MatrixRow>> = Object.fromEntries(
  rows.map((row) => [row.id, row]),
) as Record<RowId, MatrixRow>;

/** Rows in the seed's order, then ours: the order reports list them in. */
export const ROW_ORDER: readonly RowId[] = rows.map((row) => row.id);

export function deployCommand(stackId: string, stage: string): string {
  return `pnpm sst deploy ${stackId} --stage ${stage}`;
}

/** SST does not delete a stack that left the app; it is removed by name. */
export function removeCommand(stackId: string, stage: string): string {
  return `pnpm sst remove ${stackId} --stage ${stage}`;
}

/** The row a whole resource of this type belongs to (property-level splits are in classify). */
export function rowOfType(type: string, properties?: Record<string, unknown>): RowId {
  if (type === "AWS::Lambda::Function") {
    return properties?.PackageType === "Image" ? "docker-image" : "lambda-config";
  }
  if (type === "AWS::Lambda::Permission") {
    // Invoke rights for API Gateway are part of a route; any other principal is a grant.
    return String(properties?.Principal ?? "").startsWith("apigateway.") ? "api-routes" : "iam";
  }
  if (type === "AWS::Lambda::EventSourceMapping") return "queues";
  if (
    type === "AWS::Lambda::Version" ||
    type === "AWS::Lambda::Alias" ||
    type.startsWith("AWS::CodeDeploy::")
  ) {
    return "releases";
  }
  if (type.startsWith("AWS::Lambda::")) return "lambda-config";
  if (type.startsWith("AWS::ApiGatewayV2::") || type.startsWith("AWS::ApiGateway::")) {
    return "api-routes";
  }
  if (type.startsWith("AWS::DynamoDB::")) return "dynamodb-settings";
  if (
    type.startsWith("AWS::S3::") ||
    type === "Custom::S3AutoDeleteObjects" ||
    type === "Custom::S3BucketNotifications"
  ) {
    return "s3-bucket";
  }
  if (type.startsWith("AWS::Cognito::")) return "cognito";
  if (type.startsWith("AWS::ECR::")) return "docker-image";
  if (type.startsWith("AWS::IAM::")) return "iam";
  if (type.startsWith("AWS::CloudWatch::")) return "alarms";
  if (type.startsWith("AWS::KMS::")) return "kms";
  if (type.startsWith("AWS::SSM::")) return "ssm";
  if (type.startsWith("AWS::Logs::") || type === "Custom::LogRetention") return "logs";
  if (type.startsWith("AWS::SQS::")) return "queues";
  if (type.startsWith("AWS::SNS::")) return "notifications";
  if (type.startsWith("AWS::CloudFront::")) return "cdn";
  return "other";
}
