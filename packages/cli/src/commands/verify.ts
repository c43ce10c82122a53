import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Command } from "commander";
import type { Route } from "../../../functions/src/routes.js";
import { type Output, outputOf, resolveAwsStage, wholeNumber } from "../aws-stage.js";
import { CliError } from "../errors.js";
import type { Template } from "../promote/side.js";
import type { Check } from "../verify/checks.js";
import { type AwsClients, DeployedStage } from "../verify/deployed.js";
import type { StackTemplate } from "../verify/expected.js";
import { type VerifyReport, verifyStage } from "../verify/run.js";

/**
 * `localstays verify --stage X`: compares the deployed stage with this checkout, read-only,
 * and exits 1 on any difference. The expected state comes from the stage's synthesized
 * templates (synthesized here offline, or read from `--templates <dir>`, `pnpm synth`'s
 * output), so every route and function the code defines is covered without a list to keep.
 */
export interface VerifyCommandOptions {
  stage: string;
  region?: string;
  templates?: string;
  wait?: boolean;
  timeout: number;
  interval: number;
  json?: boolean;
}

export interface VerifyDependencies extends Partial<Output> {
  clients?: (region: string) => AwsClients;
  /** The stage's templates; default: --templates, else an offline synthesis of this checkout. */
  templates?: (stage: string) => Promise<StackTemplate[]>;
  /** The route table the templates must match; default routes.ts. */
  routeTable?: readonly Route[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** `*.template.json` of a folder, named by stack (`pnpm synth --stage X --out <dir>`). */
export async function readTemplates(dir: string, stage: string): Promise<StackTemplate[]> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".template.json"));
  } catch {
    throw new CliError(
      `Cannot read templates from ${dir}: create them with \`pnpm synth --stage <stage> --out ${dir}\`.`,
    );
  }
  if (files.length === 0) throw new CliError(`No *.template.json in ${dir}.`);
  const { stackName: nameOf } = await import("../../../../stacks/stage.js");
  // `LocalstaysDev1` of `LocalstaysDev1<Id>Stack`: another stage's templates would compare
  // this stage with the wrong names.
  const prefix = nameOf(stage, "").slice(0, -"Stack".length);
  return files.map((file) => {
    const stackName = file.slice(0, -".template.json".length);
    if (!stackName.startsWith(prefix)) {
      throw new CliError(`${dir}/${file} is not a template of stage ${stage} (${prefix}...).`);
    }
    const template = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Template;
    return { stackName, template };
  });
}

async function synthesizedTemplates(stage: string): Promise<StackTemplate[]> {
  const { synthesizeStage, SynthesisError } = await import("../promote/synth-side.js");
  try {
    const side = await synthesizeStage(stage);
    return Object.values(side.stacks).map(({ stackName, template }) => ({ stackName, template }));
  } catch (error) {
    if (error instanceof SynthesisError) throw new CliError(error.message);
    throw error;
  }
}

function awsClients(region: string): AwsClients {
  return {
    cloudFormation: new CloudFormationClient({ region }),
    apiGateway: new ApiGatewayV2Client({ region }),
    lambda: new LambdaClient({ region }),
    dynamo: new DynamoDBClient({ region }),
  };
}

export function checkLine(check: Check): string {
  const mark = check.ok ? "ok  " : "DIFF";
  const notes = check.notes.length ? `: ${check.notes.join("; ")}` : "";
  return `${mark}  ${check.subject}${notes}`;
}

export function summaryLine(report: VerifyReport): string {
  const differences = report.checks.filter((check) => !check.ok).length;
  const counts = ["route", "function", "image", "table"]
    .map((kind) => `${kind}s ${report.checks.filter((check) => check.kind === kind).length}`)
    .join(", ");
  return report.ok
    ? `Stage ${report.stage} (${report.region}) matches this checkout: ${report.checks.length} checks (${counts}).`
    : `Stage ${report.stage} (${report.region}) differs from this checkout: ${differences} of ${report.checks.length} checks (${counts}).`;
}

export async function verify(
  options: VerifyCommandOptions,
  deps: VerifyDependencies = {},
): Promise<VerifyReport> {
  const { print, log } = outputOf(deps);
  const target = await resolveAwsStage(
    options,
    "verify compares a deployed AWS stage with this checkout; `pnpm smoke --local` checks the local stack.",
  );
  log(
    `Verifying stage ${target.stage} in ${target.region}${target.prod ? " (PROD)" : ""}, read-only.`,
  );
  const stacks = deps.templates
    ? await deps.templates(target.stage)
    : options.templates
      ? await readTemplates(options.templates, target.stage)
      : await synthesizedTemplates(target.stage);
  const deployed = new DeployedStage((deps.clients ?? awsClients)(target.region), target.region);
  const report = await verifyStage({
    stage: target.stage,
    stacks,
    deployed,
    ...(deps.routeTable ? { routeTable: deps.routeTable } : {}),
    ...(options.wait
      ? {
          wait: {
            timeoutSeconds: options.timeout,
            intervalSeconds: options.interval,
            now: deps.now ?? Date.now,
            sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
            progress: log,
          },
        }
      : {}),
    // With --json, stdout carries the JSON only.
    onCheck: (check) => (options.json ? log : print)(checkLine(check)),
  });
  print(options.json ? JSON.stringify(report, null, 2) : summaryLine(report));
  return report;
}

const HELP = `
Compares the deployed stage with the stage's synthesized templates, read-only (CloudFormation
ListStackResources/ListExports, API Gateway GetRoutes, Lambda GetFunctionConfiguration and
GetFunction, DynamoDB DescribeTable):
  - routes.ts = the template's HTTP API routes (a stale synthesis is a difference);
  - every stack exists; every route is on the HTTP API with its authorizer, and no other;
  - every function exists with the template's settings and environment (literals, Ref and
    ImportValue compared; GetAtt/Sub values for presence only); behind an alias, the
    alias's version is read, not $LATEST;
  - a container function runs the image tag this build references (its digest is printed);
  - every table and GSI is ACTIVE; --wait waits for backfills (--timeout).
A line per check on stdout, then a summary. Exit 1 on any difference.

Examples (the deploy jobs, after the deploy):
  pnpm -s localstays verify --stage staging --wait
  pnpm synth --stage dev1 --out .build/synth/dev1 && pnpm -s localstays verify --stage dev1 --templates .build/synth/dev1
`;

export function registerVerifyCommand(program: Command): void {
  program
    .command("verify")
    .description("Check that a deployed stage is what this checkout defines (exit 1 if not)")
    .requiredOption("--stage <stage>", "an AWS stage, e.g. dev1")
    .option("--region <region>", "the region (default: the stage's, stacks/stage.ts)")
    .option(
      "--templates <dir>",
      "read the templates from pnpm synth's --out folder instead of synthesizing",
    )
    .option("--wait", "wait until every GSI is ACTIVE (backfills), with progress")
    .option(
      "--timeout <seconds>",
      "--wait: give up after this long",
      wholeNumber("--timeout", 1, 86_400),
      1800,
    )
    .option(
      "--interval <seconds>",
      "--wait: seconds between polls",
      wholeNumber("--interval", 1, 600),
      20,
    )
    .option("--json", "print the report as JSON (check lines go to stderr)")
    .addHelpText("after", HELP)
    .action(async (options: VerifyCommandOptions) => {
      const report = await verify(options);
      if (!report.ok) process.exitCode = 1;
    });
}
