import { dev1, personal } from "./expectations.js";
import { describeStage } from "./stage-spec.js";

// Two stages per file: each file pays ~4 s to load aws-cdk-lib and SST once.
describeStage(dev1);
describeStage(personal);
