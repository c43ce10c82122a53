import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { IConstruct } from "constructs";
import { Cron, type Function as SstFunction, type Stack } from "sst/constructs";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { UPLOAD_SWEEP_INTERVAL_MINUTES } from "../packages/core/src/photo/schema.js";
import { UPLOAD_PREFIX } from "../packages/core/src/storage.js";
import {
  UPLOAD_SWEEPER_HANDLER,
  uploadSweeperFunctionName,
} from "../packages/functions/src/function-names.js";
import { suppressFunctionDefaults } from "./nag.js";

/** `rate(5 minutes)`: the schedule of the sweeper, from core's interval. */
export const UPLOAD_SWEEP_SCHEDULE = `rate(${UPLOAD_SWEEP_INTERVAL_MINUTES} minutes)` as const;

/**
 * The expired-upload sweeper (core's image/sweep.ts) on its schedule: it reads and writes the
 * table, and lists `uploads/` to see whether an overdue photo's file arrived. Nothing else.
 */
export function uploadSweeper(
  stack: Stack,
  stage: string,
  resources: {
    environment: Pick<FunctionEnvironment, "TABLE_NAME" | "BUCKET_NAME">;
    bucket: IBucket;
    grantReadWriteData: (grantee: IGrantable & IConstruct) => void;
  },
): SstFunction {
  const cron = new Cron(stack, "UploadSweeper", {
    schedule: UPLOAD_SWEEP_SCHEDULE,
    job: {
      function: {
        handler: UPLOAD_SWEEPER_HANDLER,
        functionName: uploadSweeperFunctionName(stage),
        description: `Localstays ${stage}: expires photo uploads that never arrived`,
        environment: { ...resources.environment },
        timeout: "60 seconds",
      },
    },
  });
  const fn = cron.jobFunction;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ["s3:ListBucket"],
      resources: [resources.bucket.bucketArn],
      conditions: { StringLike: { "s3:prefix": [`${UPLOAD_PREFIX}*`] } },
    }),
  );
  resources.grantReadWriteData(fn);
  suppressFunctionDefaults(fn);
  return fn;
}
