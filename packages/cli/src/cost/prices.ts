/**
 * Every price `localstays cost` uses, in one table: on-demand list prices in USD for the two
 * regions the stages live in (stacks/stage.ts), and the always-free tier apart from them.
 *
 * Source: the AWS pricing pages of each service (https://aws.amazon.com/<service>/pricing/,
 * e.g. /lambda/pricing, /dynamodb/pricing/on-demand, /api-gateway/pricing, /s3/pricing,
 * /cloudfront/pricing, /cognito/pricing, /kms/pricing, /cloudwatch/pricing, /sqs/pricing,
 * /aws-cost-management/aws-budgets/pricing, /backup/pricing, /ecr/pricing), on-demand, no
 * savings plans, as of PRICES_AS_OF. Check them against those pages when AWS changes prices
 * (docs/operations.md, "Cost per stage"); the tests pin the figures that come out of them.
 */
export const PRICES_AS_OF = "2026-12-02";
export const PRICES_SOURCE =
  "AWS pricing pages, on-demand list prices (aws.amazon.com/<service>/pricing)";

export type PricedRegion = "eu-north-1" | "eu-central-1";

export interface RegionPrices {
  lambda: {
    perMillionRequests: number;
    perGbSecondArm: number;
    perGbSecondX86: number;
  };
  /** HTTP API, first 300 million requests a month. */
  httpApiPerMillion: number;
  dynamodb: {
    perMillionWrites: number;
    perMillionReads: number;
    perGbMonth: number;
    pitrPerGbMonth: number;
    backupPerGbMonth: number;
  };
  s3: {
    perGbMonth: number;
    perThousandPuts: number;
    perThousandGets: number;
    backupPerGbMonth: number;
  };
  /** Price class 100 (North America and Europe edges), first 10 TB. */
  cloudfront: { perGb: number; perTenThousandHttps: number };
  /** Essentials tier (new user pools' default). */
  cognitoPerMau: number;
  kms: { perKeyMonth: number; perTenThousandRequests: number };
  cloudwatch: { perAlarmMonth: number; logsPerGbIngested: number };
  sqsPerMillion: number;
  /** Budgets without actions, per budget-day. */
  budgetPerDay: number;
  ecrPerGbMonth: number;
}

export const PRICES: Readonly<Record<PricedRegion, RegionPrices>> = {
  "eu-north-1": {
    lambda: { perMillionRequests: 0.2, perGbSecondArm: 0.0000133334, perGbSecondX86: 0.0000166667 },
    httpApiPerMillion: 1.1,
    dynamodb: {
      perMillionWrites: 0.6625,
      perMillionReads: 0.1325,
      perGbMonth: 0.2655,
      pitrPerGbMonth: 0.2124,
      backupPerGbMonth: 0.1062,
    },
    s3: {
      perGbMonth: 0.022,
      perThousandPuts: 0.005,
      perThousandGets: 0.0004,
      backupPerGbMonth: 0.05,
    },
    cloudfront: { perGb: 0.085, perTenThousandHttps: 0.012 },
    cognitoPerMau: 0.015,
    kms: { perKeyMonth: 1, perTenThousandRequests: 0.03 },
    cloudwatch: { perAlarmMonth: 0.1, logsPerGbIngested: 0.6 },
    sqsPerMillion: 0.4,
    budgetPerDay: 0.02,
    ecrPerGbMonth: 0.1,
  },
  "eu-central-1": {
    lambda: { perMillionRequests: 0.2, perGbSecondArm: 0.0000133334, perGbSecondX86: 0.0000166667 },
    httpApiPerMillion: 1.2,
    dynamodb: {
      perMillionWrites: 0.7625,
      perMillionReads: 0.1525,
      perGbMonth: 0.306,
      pitrPerGbMonth: 0.2448,
      backupPerGbMonth: 0.1224,
    },
    s3: {
      perGbMonth: 0.0245,
      perThousandPuts: 0.0054,
      perThousandGets: 0.00043,
      backupPerGbMonth: 0.055,
    },
    cloudfront: { perGb: 0.085, perTenThousandHttps: 0.012 },
    cognitoPerMau: 0.015,
    kms: { perKeyMonth: 1, perTenThousandRequests: 0.03 },
    cloudwatch: { perAlarmMonth: 0.1, logsPerGbIngested: 0.63 },
    sqsPerMillion: 0.4,
    budgetPerDay: 0.02,
    ecrPerGbMonth: 0.1,
  },
};

/**
 * The always-free tier, per account and month (not the 12-month new-account offers, which
 * an estimate should not count on). Stages sharing an account (dev1, staging and personal
 * stages in the dev account) share it, so the estimate shows it apart from the gross cost.
 */
export const FREE_TIER = {
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  dynamodbGb: 25,
  cloudfrontGb: 1024,
  cloudfrontRequests: 10_000_000,
  cognitoMau: 10_000,
  kmsRequests: 20_000,
  cloudwatchAlarms: 10,
  logsGb: 5,
  sqsRequests: 1_000_000,
  /** Budgets: the first two of an account are free. */
  budgets: 2,
} as const;

export function pricesFor(region: string): RegionPrices {
  const prices = PRICES[region as PricedRegion];
  if (!prices) {
    throw new Error(
      `No prices for ${region}: the price table (cost/prices.ts) has ${Object.keys(PRICES).join(" and ")}.`,
    );
  }
  return prices;
}
