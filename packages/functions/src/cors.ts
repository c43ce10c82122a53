import { routes } from "./routes.js";

/**
 * CORS, written once for the Api stack, the photo bucket (stacks/Storage.ts) and the local
 * gateway and bucket (packages/local). Origins are a stage setting (stacks/stage.ts
 * `corsOrigins`; "*" locally and on dev stages).
 */
export const API_CORS = {
  /** What the dashboard sends: its token, JSON, and the version it read (If-Match). */
  allowHeaders: ["authorization", "content-type", "if-match"],
  /** The dashboard reads a listing's version from its ETag to send it back in If-Match. */
  exposeHeaders: ["etag", "location", "retry-after"],
  allowMethods: [...new Set(routes.map((route) => route.method)), "OPTIONS"],
  maxAgeSeconds: 3600,
} as const;

/**
 * The photo bucket: presigned POST from the dashboard. Images are read through the CDN,
 * never from the bucket, so GET/HEAD are the distribution's business (Storage stack).
 */
export const UPLOAD_CORS = {
  allowMethods: ["POST"],
  allowHeaders: ["*"],
  maxAgeSeconds: 3600,
} as const;
