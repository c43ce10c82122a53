import type { Route as DeployedRoute, GetRoutesResponse } from "@aws-sdk/client-apigatewayv2";
import type { StackResourceSummary } from "@aws-sdk/client-cloudformation";
import type { TableDescription } from "@aws-sdk/client-dynamodb";
import type { FunctionConfiguration, GetFunctionResponse } from "@aws-sdk/client-lambda";
import type { Route } from "../../../functions/src/routes.js";
import type { Template } from "../../src/promote/side.js";
import type { StackTemplate } from "../../src/verify/expected.js";

/**
 * A small stage, in the shapes of the dev1 synthesis (`pnpm synth --stage dev1`: logical
 * ids, Fn::ImportValue environment, the processor's Fn::Sub ImageUri) and of the AWS answers
 * (ListStackResources, ListExports, GetRoutes, GetFunctionConfiguration, GetFunction,
 * DescribeTable), as recorded from the APIs' documented responses. `deployedStage()` is a
 * stage that matches; each test breaks one thing.
 */
export const ACCOUNT = "041608526793";
export const REGION = "eu-north-1";
export const IMAGE_TAG = "00b87e9d302843fbf641a03bf818f69904ff939853efd42ca0aa70b7a375e4f7";
const ECR = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/cdk-hnb659fds-container-assets-${ACCOUNT}-${REGION}`;

export const routeTable: Route[] = [
  { method: "GET", path: "/api/v1/health", handler: "h.handler", auth: "public", table: "none" },
  { method: "GET", path: "/api/v1/me", handler: "m.handler", auth: "host", table: "read" },
];

const TABLE_EXPORT = "LocalstaysDev1DataStack:ExportsOutputRefTable710B521B3741E805";
const CDN_EXPORT = "LocalstaysDev1StorageStack:ExportsOutputFnGetAttImagesCdnBC2AA6D1DomainName";

function apiFunction(name: string, handler: string) {
  return {
    Type: "AWS::Lambda::Function",
    Properties: {
      Code: { S3Bucket: `cdk-hnb659fds-assets-${ACCOUNT}-${REGION}`, S3Key: "a1b2.zip" },
      FunctionName: name,
      Handler: handler,
      Role: { "Fn::GetAtt": ["ApiRole", "Arn"] },
      Runtime: "nodejs20.x",
      MemorySize: 1024,
      Timeout: 10,
      Architectures: ["arm64"],
      Environment: {
        Variables: {
          STAGE: "dev1",
          ENABLE_FEATURE_X: "true",
          TABLE_NAME: { "Fn::ImportValue": TABLE_EXPORT },
          IMAGES_BASE_URL: { "Fn::Join": ["", ["https://", { "Fn::ImportValue": CDN_EXPORT }]] },
          // Not resolvable read-only: compared for presence.
          ROLE_ARN: { "Fn::GetAtt": ["ApiRole", "Arn"] },
        },
      },
    },
  };
}

function route(key: string, integration: string, authorizer?: string) {
  return {
    Type: "AWS::ApiGatewayV2::Route",
    Properties: {
      ApiId: { Ref: "ApiCD79AAA0" },
      AuthorizationType: authorizer ? "JWT" : "NONE",
      ...(authorizer ? { AuthorizerId: { Ref: authorizer } } : {}),
      RouteKey: key,
      Target: { "Fn::Join": ["", ["integrations/", { Ref: integration }]] },
    },
  };
}

export function templates(): StackTemplate[] {
  const stack = (stackId: string, resources: Template): StackTemplate => ({
    stackName: `LocalstaysDev1${stackId}Stack`,
    template: { Resources: resources },
  });
  return [
    stack("Data", {
      Table710B521B: {
        Type: "AWS::DynamoDB::Table",
        Properties: {
          TableName: "localstays-dev1",
          GlobalSecondaryIndexes: [
            { IndexName: "GSI1", KeySchema: [], Projection: { ProjectionType: "ALL" } },
            { IndexName: "GSI2", KeySchema: [], Projection: { ProjectionType: "ALL" } },
          ],
        },
      },
    }),
    stack("Api", {
      ApiCD79AAA0: { Type: "AWS::ApiGatewayV2::Api", Properties: { Name: "dev1-localstays-Api" } },
      ApijwtBEABF1DF: {
        Type: "AWS::ApiGatewayV2::Authorizer",
        Properties: { ApiId: { Ref: "ApiCD79AAA0" }, AuthorizerType: "JWT" },
      },
      ApiRouteGETapiv1healthDE36D182: route("GET /api/v1/health", "IntegrationHealth"),
      ApiRouteGETapiv1me1CD65EB2: route("GET /api/v1/me", "IntegrationMe", "ApijwtBEABF1DF"),
      ApiLambdaGETapiv1healthBB2C072C: apiFunction(
        "localstays-dev1-GET-health",
        "packages/functions/src/api/health.handler",
      ),
      ApiLambdaGETapiv1me30D3934A: apiFunction(
        "localstays-dev1-GET-me",
        "packages/functions/src/api/me.handler",
      ),
      // CDK's own handler: no fixed name, found through the stack's resources.
      LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A: {
        Type: "AWS::Lambda::Function",
        Properties: { Handler: "index.handler", Runtime: "nodejs22.x", Timeout: 900 },
      },
    }),
    stack("Images", {
      ImageProcessor5D0B0257: {
        Type: "AWS::Lambda::Function",
        Properties: {
          Code: {
            ImageUri: {
              "Fn::Sub": `${ACCOUNT}.dkr.ecr.${REGION}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${ACCOUNT}-${REGION}:${IMAGE_TAG}`,
            },
          },
          FunctionName: "localstays-dev1-image-processor",
          PackageType: "Image",
          MemorySize: 1769,
          Timeout: 60,
          Architectures: ["x86_64"],
          Environment: {
            Variables: {
              STAGE: "dev1",
              TABLE_NAME: { "Fn::ImportValue": TABLE_EXPORT },
              MALLOC_ARENA_MAX: "2",
            },
          },
        },
      },
    }),
  ];
}

/** The same stage with the processor behind a `live` alias (canary releases, issue 13 item 4). */
export function templatesWithAlias(): StackTemplate[] {
  const stacks = templates();
  const images = stacks.find(
    (stack) => stack.stackName === "LocalstaysDev1ImagesStack",
  ) as StackTemplate;
  (images.template.Resources as Template).ImageProcessorAliaslive4B1C3D2E = {
    Type: "AWS::Lambda::Alias",
    Properties: {
      FunctionName: { Ref: "ImageProcessor5D0B0257" },
      FunctionVersion: { "Fn::GetAtt": ["ImageProcessorCurrentVersion1A2B3C4D", "Version"] },
      Name: "live",
    },
  };
  return stacks;
}

const timestamp = new Date("2026-12-02T09:41:17.204Z");
const summary = (logical: string, physical: string, type: string): StackResourceSummary => ({
  LogicalResourceId: logical,
  PhysicalResourceId: physical,
  ResourceType: type,
  LastUpdatedTimestamp: timestamp,
  ResourceStatus: "UPDATE_COMPLETE",
  DriftInformation: { StackResourceDriftStatus: "NOT_CHECKED" },
});

/** What a deployed, matching stage answers; tests change one field at a time. */
export function deployedStage() {
  const fnConfig = (name: string, handler: string): FunctionConfiguration => ({
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    Runtime: "nodejs20.x",
    Role: `arn:aws:iam::${ACCOUNT}:role/LocalstaysDev1ApiStack-ApiRole-1X2Y3Z`,
    Handler: handler,
    CodeSize: 48213,
    Description: "",
    Timeout: 10,
    MemorySize: 1024,
    LastModified: "2026-12-02T09:40:58.000+0000",
    CodeSha256: "xP3fQ6W0vY1m3kPq8c2sJxg6mOe2Jt9nYb8XkQ0cT1A=",
    Version: "$LATEST",
    Environment: {
      Variables: {
        STAGE: "dev1",
        ENABLE_FEATURE_X: "true",
        TABLE_NAME: "localstays-dev1",
        IMAGES_BASE_URL: "https://d111111abcdef8.cloudfront.net",
        ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/LocalstaysDev1ApiStack-ApiRole-1X2Y3Z`,
      },
    },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: "0f9b3c1e-8a7d-4c55-9b0e-2f6d1a3c4b5e",
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["arm64"],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${name}` },
  });
  const processor: FunctionConfiguration = {
    FunctionName: "localstays-dev1-image-processor",
    FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:localstays-dev1-image-processor`,
    Role: `arn:aws:iam::${ACCOUNT}:role/LocalstaysDev1ImagesStack-ImageProcessorRole-9A8B7C`,
    CodeSize: 0,
    Timeout: 60,
    MemorySize: 1769,
    LastModified: "2026-12-02T09:44:02.000+0000",
    CodeSha256: "5b0c8e0f4f2d6a1e9c7b3a2d1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e",
    Version: "$LATEST",
    Environment: {
      Variables: { STAGE: "dev1", TABLE_NAME: "localstays-dev1", MALLOC_ARENA_MAX: "2" },
    },
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Image",
    Architectures: ["x86_64"],
  };
  const processorCode: GetFunctionResponse = {
    Configuration: processor,
    Code: {
      RepositoryType: "ECR",
      ImageUri: `${ECR}:${IMAGE_TAG}`,
      ResolvedImageUri: `${ECR}@sha256:9f2c4b7a1e0d8c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b`,
    },
  };
  const routes: DeployedRoute[] = [
    {
      ApiKeyRequired: false,
      AuthorizationType: "NONE",
      RouteId: "0abc123",
      RouteKey: "GET /api/v1/health",
      Target: "integrations/k1l2m3n",
    },
    {
      ApiKeyRequired: false,
      AuthorizationType: "JWT",
      AuthorizerId: "x9y8z7",
      RouteId: "1def456",
      RouteKey: "GET /api/v1/me",
      Target: "integrations/p4q5r6s",
    },
  ];
  const table: TableDescription = {
    TableName: "localstays-dev1",
    TableStatus: "ACTIVE",
    TableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/localstays-dev1`,
    ItemCount: 1250,
    TableSizeBytes: 402113,
    CreationDateTime: new Date("2026-11-20T10:00:00.000Z"),
    BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
    GlobalSecondaryIndexes: ["GSI1", "GSI2"].map((name) => ({
      IndexName: name,
      IndexStatus: "ACTIVE",
      ItemCount: 1250,
      IndexSizeBytes: 120331,
      IndexArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/localstays-dev1/index/${name}`,
      KeySchema: [],
      Projection: { ProjectionType: "ALL" },
    })),
  };
  const stackResources: Record<string, StackResourceSummary[]> = {
    LocalstaysDev1DataStack: [summary("Table710B521B", "localstays-dev1", "AWS::DynamoDB::Table")],
    LocalstaysDev1ApiStack: [
      summary("ApiCD79AAA0", "a1b2c3d4e5", "AWS::ApiGatewayV2::Api"),
      summary("ApijwtBEABF1DF", "x9y8z7", "AWS::ApiGatewayV2::Authorizer"),
      summary("IntegrationHealth", "k1l2m3n", "AWS::ApiGatewayV2::Integration"),
      summary("IntegrationMe", "p4q5r6s", "AWS::ApiGatewayV2::Integration"),
      summary(
        "ApiLambdaGETapiv1healthBB2C072C",
        "localstays-dev1-GET-health",
        "AWS::Lambda::Function",
      ),
      summary("ApiLambdaGETapiv1me30D3934A", "localstays-dev1-GET-me", "AWS::Lambda::Function"),
      summary(
        "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A",
        "LocalstaysDev1ApiStack-LogRetentionaae0aa3c5b4d4f8-7QbX2mN1pR4s",
        "AWS::Lambda::Function",
      ),
    ],
    LocalstaysDev1ImagesStack: [
      summary("ImageProcessor5D0B0257", "localstays-dev1-image-processor", "AWS::Lambda::Function"),
    ],
  };
  const logRetention: FunctionConfiguration = {
    FunctionName: "LocalstaysDev1ApiStack-LogRetentionaae0aa3c5b4d4f8-7QbX2mN1pR4s",
    Runtime: "nodejs22.x",
    Handler: "index.handler",
    Timeout: 900,
    MemorySize: 128,
    Version: "$LATEST",
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
  };
  return {
    stackResources,
    exports: [
      {
        ExportingStackId: "arn:...:stack/LocalstaysDev1DataStack/1",
        Name: TABLE_EXPORT,
        Value: "localstays-dev1",
      },
      {
        ExportingStackId: "arn:...:stack/LocalstaysDev1StorageStack/1",
        Name: CDN_EXPORT,
        Value: "d111111abcdef8.cloudfront.net",
      },
    ],
    routes: { Items: routes } satisfies GetRoutesResponse,
    functions: {
      "localstays-dev1-GET-health": fnConfig(
        "localstays-dev1-GET-health",
        "packages/functions/src/api/health.handler",
      ),
      "localstays-dev1-GET-me": fnConfig(
        "localstays-dev1-GET-me",
        "packages/functions/src/api/me.handler",
      ),
      "localstays-dev1-image-processor": processor,
      [logRetention.FunctionName as string]: logRetention,
    } as Record<string, FunctionConfiguration>,
    processorCode,
    table,
  };
}

export type DeployedFixture = ReturnType<typeof deployedStage>;
