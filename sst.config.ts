import { RemovalPolicy, Tags } from "aws-cdk-lib";
import type { SSTConfig } from "sst";
import { type App, getStack } from "sst/constructs";
import type { FunctionEnvironment } from "./packages/core/src/config.js";
import { Api } from "./stacks/Api.js";
import { Auth } from "./stacks/Auth.js";
import { Data } from "./stacks/Data.js";
import { Images } from "./stacks/Images.js";
import { refuseInStacks, refuseOnPipelineStage, stageBeforeConfig } from "./stacks/live-dev.js";
import { Mail } from "./stacks/Mail.js";
import { Monitoring } from "./stacks/Monitoring.js";
import { suppressFrameworkFunctions } from "./stacks/nag.js";
import { Params } from "./stacks/Params.js";
import { Storage } from "./stacks/Storage.js";
import { APP_NAME, assertDeployTarget, stackName, stageSettings } from "./stacks/stage.js";
import { Web } from "./stacks/Web.js";

/**
 * The stacks, in dependency order: each uses only stacks before it (the infra tests check
 * the synthesized dependencies against this order). Mail comes before Auth, whose pool sends
 * through its identity. Web, the dashboard, reads the API's URL
 * and the user pool's ids; Monitoring, which watches the rest, stays last.
 */
export const stacks = [Params, Data, Storage, Images, Mail, Auth, Api, Web, Monitoring] as const;

/** Everything `sst deploy` does to the app, shared with the offline synthesis (stacks/synth.ts). */
export function configureApp(app: App): void {
  const settings = stageSettings(app.stage);
  // `sst types` builds the stacks without credentials (mode "remove", account placeholder
  // "my-account") only to write .sst/types: there is no deployment target to check.
  const typesOnly = app.mode === "remove" && app.account === "my-account";
  if (!typesOnly) assertDeployTarget(settings, { account: app.account, region: app.region });

  // SST apps read no cdk.json feature flags. Without this one CDK grants S3 server access
  // log delivery through a bucket ACL, which ACL-less (BucketOwnerEnforced) buckets refuse.
  app.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

  // Prod keeps CDK's per-resource defaults and the explicit RETAIN on its data; SST's
  // app-wide "retain" would also orphan every role and function when a stack is deleted.
  if (settings.removalPolicy === RemovalPolicy.DESTROY) app.setDefaultRemovalPolicy("destroy");
  app.setDefaultFunctionProps({
    runtime: "nodejs20.x",
    architecture: "arm_64",
    logRetention: settings.logRetention,
    // Minified: a smaller bundle is less to read and parse at every cold start (figures in
    // docs/performance.md). SST still uploads the source map, and names are kept (keepNames),
    // so stack traces and error classes stay readable.
    nodejs: { format: "esm", minify: true },
    // X-Ray where the stage traces; the code's tracer follows the same setting (TRACING).
    tracing: settings.tracing ? "active" : "disabled",
    // Every function's share of core's configuration; each stack adds its resources' names.
    environment: {
      STAGE: app.stage,
      ENABLE_FEATURE_X: settings.features.ENABLE_FEATURE_X ? "true" : "false",
      TRACING: settings.tracing ? "true" : "false",
    } satisfies Partial<FunctionEnvironment>,
  });
  for (const [key, value] of Object.entries(settings.tags)) Tags.of(app).add(key, value);

  for (const stack of stacks) {
    app.stack(stack, { stackName: stackName(app.stage, stack.name) });
    suppressFrameworkFunctions(getStack(stack));
  }
}

export default {
  config(input) {
    // Before SST asks AWS for anything: no `sst dev` or `sst remove` on staging or prod.
    // input is yargs' parse of the command line; SST's type leaves out `_`, the commands.
    const [command] = (input as { _?: unknown[] })._ ?? [];
    refuseOnPipelineStage(
      typeof command === "string" ? command : undefined,
      stageBeforeConfig(input),
    );
    // input.stage is unset for a personal stage SST has not resolved yet: dev defaults.
    return {
      name: APP_NAME,
      region: stageSettings(input.stage ?? "personal").region,
      // Stack names follow the seed (LocalstaysStagingApiStack): unique per stage, but not
      // in SST's "<stage>-..." shape, so SST's name check is off.
      advanced: { disableParameterizedStackNameCheck: true },
    };
  },
  stacks(app) {
    // Again on the stage SST resolved (a personal stage typed at its prompt included).
    refuseInStacks(app);
    configureApp(app);
  },
} satisfies SSTConfig;
