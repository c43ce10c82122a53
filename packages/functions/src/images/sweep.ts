import { Logger } from "@aws-lambda-powertools/logger";
import { sweepExpiredUploads } from "@localstays/core/photo/sweep";
import { SERVICE } from "../metrics.js";
import { lambdaRuntime } from "../runtime.js";

/**
 * The expired-upload sweeper, on a schedule (stacks/upload-sweeper.ts; locally
 * packages/local/src/upload-sweeper.ts): photos still PENDING_UPLOAD well after their
 * presigned POST expired become FAILED (EXPIRED) and free their host's pending-upload slot.
 * The rules are core's (photo/sweep.ts).
 */
const logger = new Logger({ serviceName: "localstays-upload-sweeper" });

export const handler = async () => {
  const { runtime } = await lambdaRuntime(SERVICE.images);
  return runtime.run(async () => {
    const { expired, waiting } = await sweepExpiredUploads();
    logger.info("Swept pending uploads", { expired: expired.length, waiting: waiting.length });
    return { expired: expired.length, waiting: waiting.length };
  });
};
