import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Api, completeListing, type User } from "./client.js";

// The functions' loggers read their level when they are first loaded, at the first request
// of this file's stack; the setup file silences logs and metrics for the other tests.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
});

/**
 * On the local stack, as in CloudWatch: the upload request and the processing of the photo
 * it started write JSON log lines that share the photo's id, so one Logs Insights query
 * (docs/operations.md) finds the photo's whole story.
 */
let api: Api;
let host: User;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  api = await Api.start();
  host = await api.host("host");
});
afterAll(() => api?.stop());

describe("correlated logs", () => {
  it("one upload: the request's line and the processor's line carry the same imageId", async () => {
    const listing = await api.create(host, completeListing("Log Harbour"));
    // Metric lines are built per emission, so they can be turned on for the upload only.
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk, ...rest) => {
      const text = String(chunk);
      for (const line of text.split("\n")) {
        if (line.startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      return text.startsWith("{") ? true : write(chunk, ...(rest as []));
    });
    let photo: Awaited<ReturnType<Api["addPhoto"]>>;
    try {
      photo = await api.addPhoto(host, listing.listingId);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(photo.status).toBe("READY");
    const about = lines.filter((line) => line.imageId === photo.imageId && "level" in line);
    const request = about.find((line) => line.message === "Request");
    const processed = about.find((line) => line.message === "Processed upload");
    expect(request).toMatchObject({
      service: "localstays-api",
      stage: "local",
      route: "POST /api/v1/hosts/{hostId}/listings/{listingId}/images",
      status: 201,
      hostId: host.hostId,
      listingId: listing.listingId,
    });
    expect(request?.function_name).toMatch(/^localstays-local-POST-/);
    expect(request?.requestId).toEqual(expect.any(String));
    expect(processed).toMatchObject({
      service: "localstays-images",
      stage: "local",
      function_name: "localstays-local-image-processor",
      hostId: host.hostId,
      listingId: listing.listingId,
      result: "READY",
    });
    expect(processed?.function_request_id).toEqual(expect.any(String));
    // And the metric lines are there too, as EMF.
    expect(lines.some((line) => line._aws && line.PhotoReady === 1)).toBe(true);
  });
});
