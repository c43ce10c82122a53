import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiGatewayV2Client, GetRoutesCommand } from "@aws-sdk/client-apigatewayv2";
import {
  CloudFormationClient,
  ListExportsCommand,
  ListStackResourcesCommand,
} from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { routes } from "../../functions/src/routes.js";
import { readTemplates, verify } from "../src/commands/verify.js";
import { CliError } from "../src/errors.js";
import { routeTableCheck } from "../src/verify/checks.js";
import { expectedState, imageTagOf, type StackTemplate } from "../src/verify/expected.js";
import {
  type DeployedFixture,
  deployedStage,
  IMAGE_TAG,
  routeTable,
  templates,
  templatesWithAlias,
} from "./verify/fixtures.js";

/**
 * `localstays verify` against recorded-shape AWS answers (aws-sdk-client-mock): a stage that
 * matches, then one difference of each kind. The mocks answer from a fixture object that each
 * test changes, so every test reads as "deployed, except ...".
 */
const cloudFormation = mockClient(CloudFormationClient);
const apiGateway = mockClient(ApiGatewayV2Client);
const lambda = mockClient(LambdaClient);
const dynamo = mockClient(DynamoDBClient);

const notFound = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 404 } });

let stage: DeployedFixture;
/** Per alias: what GetFunctionConfiguration answers with Qualifier = alias. */
let aliasConfigs: Record<string, DeployedFixture["functions"][string]>;

beforeEach(() => {
  stage = deployedStage();
  aliasConfigs = {};
  for (const mock of [cloudFormation, apiGateway, lambda, dynamo]) mock.reset();
  cloudFormation.on(ListStackResourcesCommand).callsFake(({ StackName }) => {
    const resources = stage.stackResources[StackName];
    if (!resources) {
      throw Object.assign(new Error(`Stack with id ${StackName} does not exist`), {
        name: "ValidationError",
      });
    }
    return { StackResourceSummaries: resources };
  });
  cloudFormation.on(ListExportsCommand).callsFake(() => ({ Exports: stage.exports }));
  apiGateway.on(GetRoutesCommand).callsFake(() => stage.routes);
  lambda.on(GetFunctionConfigurationCommand).callsFake(({ FunctionName, Qualifier }) => {
    const config = Qualifier
      ? aliasConfigs[`${FunctionName}:${Qualifier}`]
      : stage.functions[FunctionName];
    if (!config) {
      throw notFound("ResourceNotFoundException", `Function not found: ${FunctionName}`);
    }
    return config;
  });
  lambda.on(GetFunctionCommand).callsFake(() => stage.processorCode);
  dynamo.on(DescribeTableCommand).callsFake(() => ({ Table: stage.table }));
});

function clock() {
  let time = 0;
  return {
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
    },
  };
}

async function run(options: { wait?: boolean; timeout?: number; stacks?: StackTemplate[] } = {}) {
  const out: string[] = [];
  const progress: string[] = [];
  const report = await verify(
    { stage: "dev1", timeout: options.timeout ?? 60, interval: 20, wait: options.wait ?? false },
    {
      clients: (region) => ({
        cloudFormation: new CloudFormationClient({ region }),
        apiGateway: new ApiGatewayV2Client({ region }),
        lambda: new LambdaClient({ region }),
        dynamo: new DynamoDBClient({ region }),
      }),
      templates: async () => options.stacks ?? templates(),
      routeTable,
      ...clock(),
      print: (line) => out.push(line),
      log: (line) => progress.push(line),
    },
  );
  const differences = out.filter((line) => line.startsWith("DIFF"));
  return { report, out, differences, progress };
}

describe("localstays verify", () => {
  it("passes a stage that matches the templates, a line per check", async () => {
    const { report, out, differences } = await run();
    expect(differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(out).toContain("ok    route GET /api/v1/me: JWT authorizer x9y8z7");
    expect(out).toContain("ok    route GET /api/v1/health: no authorizer");
    expect(out).toContain(
      "ok    function localstays-dev1-GET-me: 5 environment variables; present, not compared (GetAtt/Sub values): ROLE_ARN",
    );
    expect(out).toContain(
      `ok    image of localstays-dev1-image-processor: tag ${IMAGE_TAG}; digest sha256:9f2c4b7a1e0d8c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b`,
    );
    expect(out).toContain("ok    table localstays-dev1: 2 GSIs ACTIVE: GSI1, GSI2");
    expect(out.at(-1)).toBe(
      "Stage dev1 (eu-north-1) matches this checkout: 12 checks (routes 2, functions 4, images 1, tables 1).",
    );
  });

  it("catches a route of the code that is not on the API (the seed's 'verify new endpoint exists')", async () => {
    stage.routes.Items = stage.routes.Items?.filter((r) => r.RouteKey !== "GET /api/v1/me");
    const { report, differences } = await run();
    expect(report.ok).toBe(false);
    expect(differences).toEqual(["DIFF  route GET /api/v1/me: missing on API a1b2c3d4e5"]);
  });

  it("catches a route served without its authorizer", async () => {
    const me = stage.routes.Items?.find((r) => r.RouteKey === "GET /api/v1/me");
    Object.assign(me ?? {}, { AuthorizationType: "NONE", AuthorizerId: undefined });
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  route GET /api/v1/me: authorization NONE, expected JWT; authorizer none, expected x9y8z7 (ApijwtBEABF1DF)",
    ]);
  });

  it("catches a route on the API that the code no longer has", async () => {
    stage.routes.Items?.push({
      RouteKey: "POST /api/v1/old",
      AuthorizationType: "NONE",
      RouteId: "9zz",
    });
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  route POST /api/v1/old: on API a1b2c3d4e5 but not in the code",
    ]);
  });

  it("catches a missing function", async () => {
    delete stage.functions["localstays-dev1-GET-me"];
    const { differences } = await run();
    expect(differences).toEqual(["DIFF  function localstays-dev1-GET-me: missing"]);
  });

  it("catches a function the stack does not have (not deployed with this code)", async () => {
    stage.stackResources.LocalstaysDev1ApiStack =
      stage.stackResources.LocalstaysDev1ApiStack?.filter(
        (r) => r.LogicalResourceId !== "ApiLambdaGETapiv1me30D3934A",
      ) ?? [];
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  function localstays-dev1-GET-me: not in stack LocalstaysDev1ApiStack (ApiLambdaGETapiv1me30D3934A)",
    ]);
  });

  it("catches an environment variable that differs (the seed's ENABLE_FEATURE_X)", async () => {
    const env = stage.functions["localstays-dev1-GET-me"]?.Environment?.Variables ?? {};
    env.ENABLE_FEATURE_X = "false";
    const { differences } = await run();
    expect(differences).toEqual([
      'DIFF  function localstays-dev1-GET-me: environment ENABLE_FEATURE_X is "false", expected "true"',
    ]);
  });

  it("resolves ImportValue and Join values, and catches them differing or missing", async () => {
    const env = stage.functions["localstays-dev1-GET-health"]?.Environment?.Variables ?? {};
    env.TABLE_NAME = "localstays-dev1-old";
    delete env.IMAGES_BASE_URL;
    env.DEBUG = "1";
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  function localstays-dev1-GET-health: " +
        'environment TABLE_NAME is "localstays-dev1-old", expected "localstays-dev1"; ' +
        'environment IMAGES_BASE_URL missing (expected "https://d111111abcdef8.cloudfront.net"); ' +
        "environment DEBUG is set but not in the template",
    ]);
  });

  it("catches a setting of the stage that differs (memory, architecture)", async () => {
    Object.assign(stage.functions["localstays-dev1-GET-me"] ?? {}, {
      MemorySize: 512,
      Architectures: ["x86_64"],
    });
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  function localstays-dev1-GET-me: MemorySize 512, expected 1024; Architectures x86_64, expected arm64",
    ]);
  });

  it("catches the processor running an image this deploy did not build", async () => {
    const old = "1f3e5d7c9b0a2f4e6d8c0b1a3f5e7d9c2b4a6f8e0d1c3b5a7f9e2d4c6b8a0f1e";
    if (stage.processorCode.Code) {
      stage.processorCode.Code.ImageUri = stage.processorCode.Code.ImageUri?.replace(
        IMAGE_TAG,
        old,
      );
    }
    const { differences } = await run();
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatch(
      new RegExp(
        `^DIFF  image of localstays-dev1-image-processor: runs .*:${old}, this build is tag ${IMAGE_TAG}$`,
      ),
    );
  });

  it("catches a GSI that is not ACTIVE yet, and a GSI the template does not have", async () => {
    const gsi2 = stage.table.GlobalSecondaryIndexes?.[1];
    Object.assign(gsi2 ?? {}, { IndexStatus: "CREATING", Backfilling: true, ItemCount: 0 });
    stage.table.GlobalSecondaryIndexes?.push({ IndexName: "GSI9", IndexStatus: "ACTIVE" });
    const { differences } = await run();
    expect(differences).toEqual([
      "DIFF  table localstays-dev1: GSI GSI2 CREATING (backfilling); GSI GSI9 deployed but not in the template",
    ]);
  });

  it("--wait waits for a backfill with progress lines, then passes", async () => {
    const gsi2 = stage.table.GlobalSecondaryIndexes?.[1];
    const answers = ["CREATING", "CREATING", "ACTIVE"];
    dynamo.on(DescribeTableCommand).callsFake(() => {
      Object.assign(gsi2 ?? {}, {
        IndexStatus: answers.shift() ?? "ACTIVE",
        Backfilling: answers.length > 0,
        ItemCount: 400,
      });
      return { Table: stage.table };
    });
    const { report, progress } = await run({ wait: true, timeout: 600 });
    expect(report.ok).toBe(true);
    expect(progress.filter((line) => line.includes("GSI2"))).toEqual([
      "  localstays-dev1 after 0 s: GSI2 CREATING, backfilling, ~400 of ~1250 items",
      "  localstays-dev1 after 20 s: GSI2 CREATING, backfilling, ~400 of ~1250 items",
    ]);
  });

  it("--wait gives up at --timeout and reports the index as a difference", async () => {
    Object.assign(stage.table.GlobalSecondaryIndexes?.[0] ?? {}, {
      IndexStatus: "CREATING",
      Backfilling: true,
    });
    const { report, progress, differences } = await run({ wait: true, timeout: 50 });
    expect(report.ok).toBe(false);
    expect(progress.at(-1)).toBe("  localstays-dev1: still not ACTIVE after 50 s (--timeout)");
    expect(differences).toEqual(["DIFF  table localstays-dev1: GSI GSI1 CREATING (backfilling)"]);
  });

  it("catches a stack that is not deployed", async () => {
    delete stage.stackResources.LocalstaysDev1DataStack;
    const { differences } = await run();
    expect(differences).toEqual(["DIFF  stack LocalstaysDev1DataStack: not deployed"]);
  });

  it("behind an alias, reads the alias's version, not $LATEST", async () => {
    const name = "localstays-dev1-image-processor";
    const latest = stage.functions[name];
    aliasConfigs[`${name}:live`] = {
      ...latest,
      Version: "7",
      FunctionArn: `${latest?.FunctionArn}:7`,
      Environment: {
        Variables: { STAGE: "dev1", TABLE_NAME: "localstays-dev1", MALLOC_ARENA_MAX: "4" },
      },
    };
    const { differences } = await run({ stacks: templatesWithAlias() });
    // $LATEST is right; the version the alias sends traffic to is not.
    expect(differences).toEqual([
      `DIFF  function ${name}:live: environment MALLOC_ARENA_MAX is "4", expected "2"`,
    ]);
    const calls = lambda.commandCalls(GetFunctionConfigurationCommand);
    expect(calls.map((call) => call.args[0].input).filter((i) => i.FunctionName === name)).toEqual([
      { FunctionName: name, Qualifier: "live" },
    ]);
    expect(lambda.commandCalls(GetFunctionCommand)[0]?.args[0].input).toEqual({
      FunctionName: name,
      Qualifier: "live",
    });
  });

  it("reports the alias's version when it matches, and a missing alias as a difference", async () => {
    const name = "localstays-dev1-image-processor";
    aliasConfigs[`${name}:live`] = { ...stage.functions[name], Version: "7" };
    const matching = await run({ stacks: templatesWithAlias() });
    expect(matching.out).toContain(
      `ok    function ${name}:live: alias live -> version 7; 3 environment variables`,
    );
    aliasConfigs = {};
    const missing = await run({ stacks: templatesWithAlias() });
    expect(missing.differences).toEqual([`DIFF  function ${name}:live: alias live missing`]);
  });

  it("gives words to AccessDenied and missing credentials", async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .rejects(
        Object.assign(
          new Error(
            `User: arn:aws:sts::041608526793:assumed-role/readonly/bob is not authorized to perform: lambda:GetFunctionConfiguration`,
          ),
          { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } },
        ),
      );
    const denied = run();
    await expect(denied).rejects.toBeInstanceOf(CliError);
    await expect(denied).rejects.toThrow(
      /may not call lambda:GetFunctionConfiguration in eu-north-1 \(AccessDeniedException/,
    );
    cloudFormation
      .on(ListStackResourcesCommand)
      .rejects(Object.assign(new Error("Token expired"), { name: "ExpiredToken" }));
    await expect(run()).rejects.toThrow(
      /No usable AWS credentials for cloudformation:ListStackResources/,
    );
  });

  it("refuses the local stage", async () => {
    await expect(verify({ stage: "local", timeout: 1, interval: 1 })).rejects.toThrow(
      /pnpm smoke --local/,
    );
  });
});

describe("the expected state", () => {
  it("comes from the templates: every function, route and GSI, and the image tag", () => {
    const expected = expectedState(templates());
    expect(expected.functions.map((fn) => fn.logicalId)).toEqual([
      "ApiLambdaGETapiv1healthBB2C072C",
      "ApiLambdaGETapiv1me30D3934A",
      "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A",
      "ImageProcessor5D0B0257",
    ]);
    expect(expected.routes.map((r) => r.routeKey)).toEqual([
      "GET /api/v1/health",
      "GET /api/v1/me",
    ]);
    expect(expected.tables[0]?.indexes).toEqual(["GSI1", "GSI2"]);
    expect(expected.functions.at(-1)?.imageTag).toBe(IMAGE_TAG);
  });

  it("reads the asset hash from CDK's Fn::Sub and Fn::Join spellings of ImageUri", () => {
    expect(imageTagOf({ "Fn::Sub": `1.dkr.ecr.r.\${AWS::URLSuffix}/repo:${IMAGE_TAG}` })).toBe(
      IMAGE_TAG,
    );
    expect(
      imageTagOf({
        "Fn::Join": ["", [{ Ref: "AWS::AccountId" }, `.dkr.ecr.r.amazonaws.com/repo:${IMAGE_TAG}`]],
      }),
    ).toBe(IMAGE_TAG);
  });

  it("flags routes.ts and a stale template that disagree", () => {
    const expected = expectedState(templates()).routes;
    expect(routeTableCheck(routeTable, expected).ok).toBe(true);
    const check = routeTableCheck(routes, expected);
    expect(check.ok).toBe(false);
    expect(check.notes).toContain(
      "PATCH /api/v1/hosts/{hostId} is in routes.ts but not in the template",
    );
    const publicMe = routeTableCheck(
      routeTable.map((r) => ({ ...r, auth: "public" as const })),
      expected,
    );
    expect(publicMe.notes).toEqual(["GET /api/v1/me: template says JWT, routes.ts NONE"]);
  });

  it("reads pnpm synth's output folder, of this stage only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "verify-templates-"));
    try {
      for (const stack of templates()) {
        writeFileSync(
          path.join(dir, `${stack.stackName}.template.json`),
          JSON.stringify(stack.template),
        );
      }
      const read = await readTemplates(dir, "dev1");
      expect(read.map((stack) => stack.stackName).sort()).toEqual([
        "LocalstaysDev1ApiStack",
        "LocalstaysDev1DataStack",
        "LocalstaysDev1ImagesStack",
      ]);
      await expect(readTemplates(path.join(dir, "nope"), "dev1")).rejects.toThrow(
        /pnpm synth --stage/,
      );
      await expect(readTemplates(dir, "staging")).rejects.toThrow(
        /is not a template of stage staging \(LocalstaysStaging\.\.\.\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
