import { dev1, personal, prodEnv } from "./expectations.js";
import { describeStage } from "./stage-spec.js";

// Two stages per file: each file pays ~4 s to load aws-cdk-lib and SST once.
// dev1 with the prod account configured, as where both accounts are set: the environment
// promote-stages.test.ts synthesizes dev1 in, so the run synthesizes dev1 once for both
// (stacks/synth-cache.ts; the key covers the variable).
describeStage(dev1, prodEnv);
describeStage(personal);
