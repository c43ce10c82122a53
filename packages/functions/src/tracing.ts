import { Tracer } from "@aws-lambda-powertools/tracer";
import type { Correlation, Tracing } from "./observability.js";

/**
 * X-Ray through Powertools Tracer, for the stages whose functions trace (`tracing` in
 * stacks/stage.ts). Loaded with import() by runtime.ts only there: the X-Ray SDK is most of
 * a function's telemetry bytes (docs/performance.md), and the other stages never read it.
 *
 * Traces start at Lambda: HTTP APIs do not support X-Ray and S3 notifications carry no trace
 * header. The ids are annotations (indexed, searchable: `annotation.imageId = "…"`), which is
 * what links an upload request's trace to the processor's.
 */
export function createTracing(service: string): Tracing {
  // HTTP(S) is not patched globally: the AWS SDK clients are captured one by one, and they
  // are the only outbound calls.
  const tracer = new Tracer({ serviceName: service, captureHTTPsRequests: false });
  const annotate = (
    segment: { addAnnotation(key: string, value: string): void },
    keys: Correlation,
  ) => {
    for (const [key, value] of Object.entries(keys)) {
      if (typeof value === "string") segment.addAnnotation(key, value);
    }
  };
  return {
    captureClient: (client) => tracer.captureAWSv3Client(client),
    async invocation(name, fn) {
      const parent = tracer.getSegment();
      const segment = parent?.addNewSubsegment(`## ${name}`);
      if (segment) tracer.setSegment(segment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
      try {
        return await fn();
      } catch (error) {
        tracer.addErrorAsMetadata(error as Error);
        throw error;
      } finally {
        segment?.close();
        if (parent) tracer.setSegment(parent);
      }
    },
    annotate(keys) {
      const segment = tracer.getSegment();
      if (segment) annotate(segment, keys);
    },
    part(name, keys) {
      const segment = tracer.getSegment()?.addNewSubsegment(`### ${name}`);
      if (segment) annotate(segment, keys);
      return () => segment?.close();
    },
  };
}
