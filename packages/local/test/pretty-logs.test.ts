import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { prettyLogLine, prettyPrintLogs } from "../src/pretty-logs.js";

const logLine = JSON.stringify({
  level: "INFO",
  message: "Request",
  timestamp: "2026-12-02T15:04:05.678Z",
  service: "localstays-api",
  sampling_rate: 0,
  stage: "local",
  function_name: "localstays-local-GET-health",
  requestId: "r-1",
  status: 200,
});
const metricLine = JSON.stringify({
  _aws: {
    Timestamp: Date.parse("2026-12-02T15:04:05.678Z"),
    CloudWatchMetrics: [
      {
        Namespace: "Localstays",
        Dimensions: [["service", "Stage", "Route"]],
        Metrics: [
          { Name: "Requests", Unit: "Count" },
          { Name: "Latency", Unit: "Milliseconds" },
        ],
      },
    ],
  },
  service: "localstays-api",
  Stage: "local",
  Route: "GET /api/v1/health",
  Requests: 1,
  Latency: 3,
  requestId: "r-1",
});

describe("pnpm start's log rendering", () => {
  it("shows a Powertools log line as time, level, service, message and every other field", () => {
    expect(prettyLogLine(logLine)).toBe(
      "15:04:05.678 INFO  localstays-api Request stage=local function_name=localstays-local-GET-health requestId=r-1 status=200",
    );
  });

  it("shows an EMF line as its metrics, dimensions and metadata", () => {
    expect(prettyLogLine(metricLine)).toBe(
      "15:04:05.678 METRIC Localstays Requests=1 Latency=3 ms [service=localstays-api Stage=local Route=GET /api/v1/health] requestId=r-1",
    );
  });

  it("leaves every other line alone", () => {
    for (const line of ["GET /api/v1/health → 200 (3 ms)", "{not json", '{"a":1}', "[1,2]"]) {
      expect(prettyLogLine(line)).toBe(line);
    }
  });

  it("renders whole lines written to the stream, however they are split", () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = "";
    (stream as unknown as PassThrough).on("data", (chunk) => {
      out += String(chunk);
    });
    const restore = prettyPrintLogs(stream, false);
    stream.write(`${logLine.slice(0, 20)}`);
    stream.write(`${logLine.slice(20)}\nplain\n`);
    restore();
    expect(out).toBe(`${prettyLogLine(logLine)}\nplain\n`);
  });
});
