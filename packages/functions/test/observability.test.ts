import { NotFound } from "@localstays/core";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { http, logger } from "../src/api/http.js";
import {
  DIMENSION,
  METRIC_ERROR_CODES,
  METRIC_NAMESPACE,
  OTHER,
  ROUTE_KEYS,
  SERVICE,
} from "../src/metrics.js";

/**
 * A request's log lines and metric lines, as CloudWatch receives them on stdout: the right
 * fields on every line, and dimensions that are route templates and codes, never ids.
 */
const HOST = "host_01HZY3Q5J6K7M8N9P0QRSTUVWX";
const LISTING = "lst_01HZY3Q5J6K7M8N9P0QRSTUVWX";
const UPLOAD_ROUTE = "POST /api/v1/hosts/{hostId}/listings/{listingId}/images";

let lines: Record<string, unknown>[] = [];

beforeEach(() => {
  lines = [];
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  logger.setLogLevel("INFO");
  // Powertools writes INFO and metrics to stdout, errors to stderr: both are CloudWatch's.
  const collect = (chunk: unknown) => {
    for (const line of String(chunk).split("\n").filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(collect);
  vi.spyOn(process.stderr, "write").mockImplementation(collect);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  logger.setLogLevel("SILENT");
});

function event(routeKey: string, pathParameters: Record<string, string>) {
  return {
    version: "2.0",
    routeKey,
    rawPath: "/x",
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    pathParameters,
    requestContext: { requestId: "apigw-req-1" },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const context = {
  functionName: "localstays-test-POST-hosts-hostId-listings-listingId-images",
  awsRequestId: "lambda-req-1",
} as Context;

const metricLines = () => lines.filter((line) => "_aws" in line);
const logLines = () => lines.filter((line) => "level" in line);
type Directive = { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] };
const directives = (line: Record<string, unknown>) =>
  (line._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics;

describe("a request's telemetry", () => {
  it("logs the request with stage, function, request ids and the ids it learnt", async () => {
    const handler = http(async (request) => {
      request.correlate({ imageId: "img_1" });
      return { status: 201, body: {} };
    });
    const response = await handler(
      event(UPLOAD_ROUTE, { hostId: HOST, listingId: LISTING }),
      context,
    );
    expect(response.statusCode).toBe(201);
    const [line] = logLines().filter((l) => l.message === "Request");
    expect(line).toMatchObject({
      level: "INFO",
      service: SERVICE.api,
      stage: "test",
      function_name: context.functionName,
      function_request_id: "lambda-req-1",
      requestId: "apigw-req-1",
      hostId: HOST,
      listingId: LISTING,
      imageId: "img_1",
      route: UPLOAD_ROUTE,
      status: 201,
    });
    expect(typeof line?.latencyMs).toBe("number");
  });

  it("emits count, latency and 4xx/5xx per route, with the ids as metadata only", async () => {
    const handler = http(async () => ({ body: {} }));
    await handler(event(UPLOAD_ROUTE, { hostId: HOST, listingId: LISTING }), context);
    const [line, ...more] = metricLines();
    expect(more).toEqual([]);
    expect(directives(line as Record<string, unknown>)).toEqual([
      {
        Namespace: METRIC_NAMESPACE,
        Dimensions: [[DIMENSION.service, DIMENSION.stage, DIMENSION.route]],
        Metrics: [
          { Name: "Requests", Unit: "Count" },
          { Name: "Latency", Unit: "Milliseconds" },
          { Name: "ClientErrors", Unit: "Count" },
          { Name: "ServerErrors", Unit: "Count" },
        ],
      },
    ]);
    expect(line).toMatchObject({
      service: SERVICE.api,
      Stage: "test",
      Route: UPLOAD_ROUTE,
      Requests: 1,
      ClientErrors: 0,
      ServerErrors: 0,
      hostId: HOST,
      listingId: LISTING,
      requestId: "apigw-req-1",
    });
  });

  it("counts a 4xx by its error code and a listing decision only when it succeeded", async () => {
    const created = "POST /api/v1/hosts/{hostId}/listings";
    await http(async () => ({ status: 201, body: {} }))(event(created, { hostId: HOST }), context);
    await http(async () => {
      throw new NotFound("Host", HOST);
    })(event(created, { hostId: HOST }), context);
    const byName = (name: string) =>
      metricLines().filter((line) =>
        directives(line).some((d) => d.Metrics.some((m) => m.Name === name)),
      );
    expect(byName("ListingCreated")).toHaveLength(1);
    expect(directives(byName("ListingCreated")[0] ?? {})[0]?.Dimensions).toEqual([
      [DIMENSION.service, DIMENSION.stage],
    ]);
    const byCode = metricLines().filter((line) => line.ErrorCode !== undefined);
    expect(byCode).toHaveLength(1);
    expect(byCode[0]).toMatchObject({ Route: created, ErrorCode: "NOT_FOUND", ClientErrors: 1 });
    expect(directives(byCode[0] ?? {})[0]?.Dimensions).toEqual([
      [DIMENSION.service, DIMENSION.stage, DIMENSION.route, DIMENSION.errorCode],
    ]);
  });

  it("keeps every dimension in its closed set: unknown routes and codes become OTHER", async () => {
    await http(async () => {
      throw new Error("boom");
    })(event("GET /not/a/route", {}), context);
    await http(async () => ({ body: {} }))(
      event("GET /api/v1/hosts/{hostId}", { hostId: HOST }),
      context,
    );
    const allowed: Record<string, readonly string[]> = {
      [DIMENSION.service]: Object.values(SERVICE),
      [DIMENSION.stage]: ["test"],
      [DIMENSION.route]: [...ROUTE_KEYS, OTHER],
      [DIMENSION.errorCode]: [...METRIC_ERROR_CODES, OTHER],
    };
    const lines = metricLines();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      for (const name of directives(line).flatMap((d) => d.Dimensions.flat())) {
        expect(allowed[name], name).toContain(line[name]);
        expect(String(line[name])).not.toContain(HOST);
      }
    }
    expect(logLines().find((line) => line.level === "ERROR")).toMatchObject({
      message: "Unhandled error",
      stage: "test",
      requestId: "apigw-req-1",
      error: { name: "Error", message: "boom" },
    });
    expect(lines.find((line) => line.ErrorCode)).toMatchObject({
      Route: OTHER,
      ErrorCode: "INTERNAL_ERROR",
      ServerErrors: 1,
    });
  });
});
