import {
  type ApiGatewayV2Client,
  GetRoutesCommand,
  type Route,
} from "@aws-sdk/client-apigatewayv2";
import {
  type CloudFormationClient,
  ListExportsCommand,
  ListStackResourcesCommand,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { awsCall } from "../aws-errors.js";
import { isObject, type Json } from "../promote/side.js";

/**
 * Read-only access to a deployed stage: the stacks' resources (logical id -> physical id),
 * the account's exports, the HTTP API's routes, functions and tables. Every answer is cached
 * for the run; "not found" is `undefined` (a difference), other failures are errors that
 * say what to do (aws-errors.ts). Kept apart from sst-outputs.ts (DescribeStacks).
 */
export interface AwsClients {
  cloudFormation: CloudFormationClient;
  apiGateway: ApiGatewayV2Client;
  lambda: LambdaClient;
  dynamo: DynamoDBClient;
}

export interface StackResource {
  physicalId: string;
  type: string;
  status: string;
}

const lambdaInput = (name: string, qualifier?: string) => ({
  FunctionName: name,
  ...(qualifier ? { Qualifier: qualifier } : {}),
});

const notFound = (error: unknown, names: string[]) =>
  names.includes((error as Error).name) ? undefined : Promise.reject(error);

export class DeployedStage {
  private readonly stackCache = new Map<string, Promise<Map<string, StackResource> | undefined>>();
  private exportCache: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly clients: AwsClients,
    readonly region: string,
  ) {}

  /** undefined: the stack does not exist. */
  stackResources(stackName: string): Promise<Map<string, StackResource> | undefined> {
    let cached = this.stackCache.get(stackName);
    if (!cached) {
      cached = this.listStackResources(stackName);
      this.stackCache.set(stackName, cached);
    }
    return cached;
  }

  private async listStackResources(stackName: string) {
    const resources = new Map<string, StackResource>();
    let token: string | undefined;
    try {
      do {
        const page = await awsCall("cloudformation:ListStackResources", this.region, () =>
          this.clients.cloudFormation.send(
            new ListStackResourcesCommand({ StackName: stackName, NextToken: token }),
          ),
        );
        for (const summary of page.StackResourceSummaries ?? []) {
          if (!summary.LogicalResourceId) continue;
          resources.set(summary.LogicalResourceId, {
            physicalId: summary.PhysicalResourceId ?? "",
            type: summary.ResourceType ?? "",
            status: summary.ResourceStatus ?? "",
          });
        }
        token = page.NextToken;
      } while (token);
    } catch (error) {
      // CloudFormation's answer for a stack that is not there.
      if ((error as Error).name === "ValidationError" && /does not exist/.test(String(error))) {
        return undefined;
      }
      throw error;
    }
    return resources;
  }

  async physicalId(stackName: string, logicalId: string): Promise<string | undefined> {
    return (await this.stackResources(stackName))?.get(logicalId)?.physicalId || undefined;
  }

  private exports(): Promise<Map<string, string>> {
    this.exportCache ??= (async () => {
      const values = new Map<string, string>();
      let token: string | undefined;
      do {
        const page = await awsCall("cloudformation:ListExports", this.region, () =>
          this.clients.cloudFormation.send(new ListExportsCommand({ NextToken: token })),
        );
        for (const entry of page.Exports ?? []) {
          if (entry.Name && entry.Value !== undefined) values.set(entry.Name, entry.Value);
        }
        token = page.NextToken;
      } while (token);
      return values;
    })();
    return this.exportCache;
  }

  /**
   * The deployed value of a template expression: literals, Ref (a resource of the stack, or a
   * pseudo parameter), Fn::ImportValue (the account's exports) and Fn::Join of those.
   * undefined for what cannot be resolved read-only (Fn::GetAtt, Fn::Sub, ...): such values
   * are compared for presence only.
   */
  async resolve(stackName: string, value: Json | undefined): Promise<string | undefined> {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (!isObject(value)) return undefined;
    if (typeof value.Ref === "string") {
      const pseudo: Record<string, string> = {
        "AWS::Region": this.region,
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::Partition": "aws",
        "AWS::StackName": stackName,
      };
      return pseudo[value.Ref] ?? this.physicalId(stackName, value.Ref);
    }
    if (typeof value["Fn::ImportValue"] === "string") {
      return (await this.exports()).get(value["Fn::ImportValue"]);
    }
    const join = value["Fn::Join"];
    if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
      const parts = await Promise.all(join[1].map((part) => this.resolve(stackName, part)));
      return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
    }
    return undefined;
  }

  async routes(apiId: string): Promise<Route[] | undefined> {
    const routes: Route[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await awsCall("apigateway:GET (GetRoutes)", this.region, () =>
          this.clients.apiGateway.send(new GetRoutesCommand({ ApiId: apiId, NextToken: token })),
        );
        routes.push(...(page.Items ?? []));
        token = page.NextToken;
      } while (token);
    } catch (error) {
      return notFound(error, ["NotFoundException"]);
    }
    return routes;
  }

  /** With a qualifier (an alias), the configuration of the version the alias points to. */
  functionConfiguration(name: string, qualifier?: string) {
    return this.lambdaRead("lambda:GetFunctionConfiguration", () =>
      this.clients.lambda.send(new GetFunctionConfigurationCommand(lambdaInput(name, qualifier))),
    );
  }

  /** GetFunction: the code location, i.e. a container function's image URI and digest. */
  function(name: string, qualifier?: string) {
    return this.lambdaRead("lambda:GetFunction", () =>
      this.clients.lambda.send(new GetFunctionCommand(lambdaInput(name, qualifier))),
    );
  }

  private lambdaRead<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    return awsCall(what, this.region, call).catch((error) =>
      notFound(error, ["ResourceNotFoundException"]),
    );
  }

  table(name: string): Promise<TableDescription | undefined> {
    return awsCall("dynamodb:DescribeTable", this.region, () =>
      this.clients.dynamo.send(new DescribeTableCommand({ TableName: name })),
    ).then(
      (answer) => answer.Table,
      (error) => notFound(error, ["ResourceNotFoundException"]),
    );
  }
}
