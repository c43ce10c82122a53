import { UPLOAD_SWEEP_INTERVAL_MINUTES } from "@localstays/core/photo/schema";
import type { Runtime } from "@localstays/core/runtime";
import {
  UPLOAD_SWEEPER_HANDLER,
  uploadSweeperFunctionName,
} from "@localstays/functions/function-names";
import { invokeHandler, loadHandler } from "./lambda-runtime.js";
import type { Log } from "./log.js";

/**
 * In AWS: a schedule runs the upload sweeper every UPLOAD_SWEEP_INTERVAL_MINUTES
 * (stacks/upload-sweeper.ts). Here: a timer runs the same handler on the same interval, in
 * the stack's current runtime, one run at a time. `runOnce` is what the timer calls.
 */
export interface UploadSweeperSchedule {
  /** One run now (after any run in progress); resolves with the handler's result. */
  runOnce(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface UploadSweeperOptions {
  runtime: () => Runtime;
  stage: string;
  region: string;
  log: Log;
  intervalMs?: number;
}

export function scheduleUploadSweeper(options: UploadSweeperOptions): UploadSweeperSchedule {
  const { runtime, stage, region, log } = options;
  const handler = loadHandler(UPLOAD_SWEEPER_HANDLER);
  let last: Promise<unknown> = Promise.resolve();
  const runOnce = () => {
    const run = last.then(async () =>
      invokeHandler(
        await handler,
        { source: "aws.scheduler", "detail-type": "Scheduled Event", time: new Date() },
        {
          functionName: uploadSweeperFunctionName(stage),
          region,
          timeoutMs: 60_000,
          runtime: runtime(),
        },
      ),
    );
    // A failed run is reported and the schedule goes on, as the next scheduled run would.
    last = run.catch((error: unknown) => log.error("The upload sweeper failed", error));
    return run;
  };
  const timer = setInterval(
    () => void runOnce().catch(() => undefined),
    options.intervalMs ?? UPLOAD_SWEEP_INTERVAL_MINUTES * 60_000,
  );
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await last;
    },
  };
}
