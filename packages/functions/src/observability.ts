import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { FailureReason } from "@localstays/core/photo/formats";
import type { Context } from "aws-lambda";
import {
  DIMENSION,
  LISTING_EVENT,
  type ListingEvent,
  METRIC_NAMESPACE,
  type MetricDefinition,
  type MetricErrorCode,
  type OTHER,
  PHOTO_METRIC,
  ROUTE_METRIC,
  type RouteKey,
  type Service,
} from "./metrics.js";

/**
 * What every function writes: JSON log lines (Powertools Logger) that carry the stage, the
 * function, the request id and the ids the work is about, and EMF metric lines (Powertools
 * Metrics) with the dimensions of metrics.ts. The same lines locally: the local stack runs
 * these very handlers (and `pnpm start` pretty-prints them on a terminal).
 *
 * Nothing here is shared between invocations but the Logger's formatting: the keys travel
 * with each `InvocationLog` and every metric line is built and flushed in one synchronous
 * step, because the local stack runs invocations of a function concurrently in one process,
 * where Powertools' appended keys and buffered dimensions would leak from one into another.
 */
export interface Correlation {
  hostId?: string;
  listingId?: string;
  imageId?: string;
  /** API Gateway's request id (the `apigw-requestid` header, quoted in 500 answers). */
  requestId?: string;
  /** The SQS message an upload notification came in. */
  messageId?: string;
}

type Keys = Record<string, string | number | boolean>;

/** A logger for one invocation (or a part of it) with its keys on every line. */
export class InvocationLog {
  readonly #logger: Logger;
  readonly #keys: Keys;

  constructor(logger: Logger, keys: Keys) {
    this.#logger = logger;
    this.#keys = keys;
  }

  get keys(): Readonly<Keys> {
    return this.#keys;
  }

  /** A log for a part of the work with more keys (a photo of a batch). */
  with(keys: Correlation): InvocationLog {
    return new InvocationLog(this.#logger, { ...this.#keys, ...defined(keys) });
  }

  /** Adds keys learnt on the way (the image id a request created). */
  add(keys: Correlation): void {
    Object.assign(this.#keys, defined(keys));
  }

  info(message: string, extra: Keys | object = {}): void {
    this.#logger.info(message, { ...this.#keys, ...extra });
  }

  warn(message: string, extra: Keys | object = {}): void {
    this.#logger.warn(message, { ...this.#keys, ...extra });
  }

  error(message: string, error?: unknown, extra: Keys | object = {}): void {
    this.#logger.error(message, {
      ...this.#keys,
      ...extra,
      ...(error === undefined ? {} : { error }),
    });
  }
}

function defined(keys: Correlation): Keys {
  return Object.fromEntries(
    Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/**
 * X-Ray, where the stage traces (tracing.ts); otherwise NO_TRACING, which does nothing, so
 * the code paths are the same either way.
 */
export interface Tracing {
  /** Captures an AWS SDK v3 client: its calls become subsegments. */
  captureClient<T extends object>(client: T): T;
  /** Runs `fn` in the invocation's subsegment `## name`, annotated with cold start and service. */
  invocation<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Annotates the current subsegment with ids (indexed: X-Ray finds traces by them). */
  annotate(keys: Correlation): void;
  /** A subsegment for a part of the work (a photo of a batch), annotated; call the result to close it. */
  part(name: string, keys: Correlation): () => void;
}

export const NO_TRACING: Tracing = {
  captureClient: (client) => client,
  invocation: (_name, fn) => fn(),
  annotate: () => {},
  part: () => () => {},
};

/** The telemetry of one kind of function: its logger, and fresh metric lines per emission. */
export class Telemetry {
  readonly service: Service;
  readonly logger: Logger;
  #coldStart = true;

  constructor(service: Service) {
    this.service = service;
    this.logger = new Logger({ serviceName: service });
  }

  /**
   * The log of one invocation: stage, the function and its request id (Powertools' own key
   * names, as its `addContext` would write them), whether it is the container's first.
   */
  begin(stage: string, context: Context | undefined, keys: Correlation = {}): InvocationLog {
    const coldStart = this.#coldStart;
    this.#coldStart = false;
    return new InvocationLog(this.logger, {
      stage,
      ...(context
        ? {
            function_name: context.functionName,
            function_request_id: context.awsRequestId,
          }
        : {}),
      cold_start: coldStart,
      ...defined(keys),
    });
  }

  /** One EMF line: `add` fills it, and it is written before anything else can run. */
  emit(stage: string, metadata: Readonly<Keys>, add: (metrics: Metrics) => void): void {
    const metrics = new Metrics({
      namespace: METRIC_NAMESPACE,
      serviceName: this.service,
      defaultDimensions: { [DIMENSION.stage]: stage },
      logger: this.logger,
    });
    add(metrics);
    // Ids belong in the line, where Logs Insights finds them, never in a dimension.
    for (const [key, value] of Object.entries(metadata)) metrics.addMetadata(key, String(value));
    metrics.publishStoredMetrics();
  }
}

const put = (metrics: Metrics, metric: MetricDefinition, value = 1) =>
  metrics.addMetric(metric.name, metric.unit, value);

export interface RequestOutcome {
  route: RouteKey | typeof OTHER;
  status: number;
  /** The error's code on a 4xx/5xx. */
  code?: MetricErrorCode | typeof OTHER;
  latencyMs: number;
  /** The listing decision the request made, if it answered 2xx. */
  event?: ListingEvent;
}

/** A request's metrics: count, latency, 4xx/5xx per route, by code, and its listing event. */
export function recordRequest(
  telemetry: Telemetry,
  log: InvocationLog,
  stage: string,
  outcome: RequestOutcome,
): void {
  const { route, status, code, latencyMs, event } = outcome;
  const clientError = status >= 400 && status < 500;
  const serverError = status >= 500;
  telemetry.emit(stage, log.keys, (metrics) => {
    metrics.addDimension(DIMENSION.route, route);
    put(metrics, ROUTE_METRIC.requests);
    put(metrics, ROUTE_METRIC.latency, latencyMs);
    put(metrics, ROUTE_METRIC.clientErrors, clientError ? 1 : 0);
    put(metrics, ROUTE_METRIC.serverErrors, serverError ? 1 : 0);
  });
  if ((clientError || serverError) && code) {
    telemetry.emit(stage, log.keys, (metrics) => {
      metrics.addDimensions({ [DIMENSION.route]: route, [DIMENSION.errorCode]: code });
      put(metrics, serverError ? ROUTE_METRIC.serverErrors : ROUTE_METRIC.clientErrors);
    });
  }
  if (event && status >= 200 && status < 300) {
    telemetry.emit(stage, log.keys, (metrics) => put(metrics, LISTING_EVENT[event]));
  }
}

export type PhotoOutcome =
  | { result: "READY"; megapixels: number; processingMs: number }
  | { result: "FAILED"; reason: FailureReason; processingMs: number };

/** A processed photo's metrics: READY or FAILED by reason, time, input size. */
export function recordPhoto(
  telemetry: Telemetry,
  log: InvocationLog,
  stage: string,
  outcome: PhotoOutcome,
): void {
  telemetry.emit(stage, log.keys, (metrics) => {
    put(metrics, PHOTO_METRIC.processingTime, outcome.processingMs);
    if (outcome.result === "READY") {
      put(metrics, PHOTO_METRIC.ready);
      put(metrics, PHOTO_METRIC.inputMegapixels, outcome.megapixels);
    }
  });
  if (outcome.result === "FAILED") {
    telemetry.emit(stage, log.keys, (metrics) => {
      metrics.addDimensions({ [DIMENSION.reason]: outcome.reason });
      put(metrics, PHOTO_METRIC.failed);
    });
  }
}
