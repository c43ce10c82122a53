/**
 * The route table: the one place a route is declared. `stacks/Api.ts` turns each entry into
 * an API Gateway route (JWT authorizer unless `auth` is "public"); the local gateway in
 * `packages/local` serves the very same entries by importing the same handler.
 *
 * `handler` is the SST handler string, relative to the repository root: the file without
 * its extension, a dot, and the exported function's name.
 */
export type RouteAuth = "public" | "host" | "admin";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Route {
  method: HttpMethod;
  /** API Gateway path syntax: `/api/v1/hosts/{hostId}`. */
  path: string;
  handler: string;
  /** public: no token; host: any signed-in user (ownership checked in core); admin: admins group. */
  auth: RouteAuth;
  /**
   * What the handler does to the photo bucket beyond nothing: "upload" signs presigned POSTs
   * (a POST carries its signer's s3:PutObject on `uploads/`), "delete" removes an image's
   * upload and variants. The Api stack grants exactly this, per route.
   */
  bucket?: "upload" | "delete";
  /**
   * What the handler does to the table: "read" (gets, queries), "write" (also puts, updates,
   * deletes, transactions), "none". The Api stack grants exactly this, the table key's
   * encrypt only to writers. Required, so a new route has to say it.
   */
  table: "read" | "write" | "none";
}

const fn = (file: string) => `packages/functions/src/api/${file}.handler`;

export const routes = [
  { method: "GET", path: "/api/v1/health", handler: fn("health"), auth: "public", table: "none" },
  { method: "GET", path: "/api/v1/me", handler: fn("me"), auth: "host", table: "read" },
  {
    method: "GET",
    path: "/api/v1/hosts/{hostId}",
    handler: fn("hosts/get"),
    auth: "host",
    table: "read",
  },
  {
    method: "PATCH",
    path: "/api/v1/hosts/{hostId}",
    handler: fn("hosts/update"),
    auth: "host",
    table: "write",
  },
  ...listingRoutes(),
  ...photoRoutes(),
  // Per-host quotas (core/quota): admins raise or reset a host's limits, audited.
  {
    method: "PATCH",
    path: "/api/v1/admin/hosts/{hostId}/quotas",
    handler: fn("admin/hosts/quotas"),
    auth: "admin",
    table: "write",
  },
] as const satisfies readonly Route[];

function listingRoutes() {
  const host = "/api/v1/hosts/{hostId}/listings";
  const one = `${host}/{listingId}`;
  const admin = "/api/v1/admin/listings";
  const h = (file: string) => fn(`hosts/listings/${file}`);
  return [
    { method: "POST", path: host, handler: h("create"), auth: "host", table: "write" },
    { method: "GET", path: host, handler: h("list"), auth: "host", table: "read" },
    { method: "GET", path: one, handler: h("get"), auth: "host", table: "read" },
    { method: "PATCH", path: one, handler: h("update"), auth: "host", table: "write" },
    { method: "DELETE", path: one, handler: h("archive"), auth: "host", table: "write" },
    { method: "POST", path: `${one}/submit`, handler: h("submit"), auth: "host", table: "write" },
    { method: "PUT", path: `${one}/publish`, handler: h("publish"), auth: "host", table: "write" },
    {
      method: "PUT",
      path: `${one}/unpublish`,
      handler: h("unpublish"),
      auth: "host",
      table: "write",
    },
    {
      method: "GET",
      path: admin,
      handler: fn("admin/listings/queue"),
      auth: "admin",
      table: "read",
    },
    {
      method: "POST",
      path: `${admin}/{listingId}/approve`,
      handler: fn("admin/listings/approve"),
      auth: "admin",
      table: "write",
    },
    {
      method: "POST",
      path: `${admin}/{listingId}/reject`,
      handler: fn("admin/listings/reject"),
      auth: "admin",
      table: "write",
    },
    {
      method: "GET",
      path: "/api/v1/listings",
      handler: fn("listings/search"),
      auth: "public",
      table: "read",
    },
    {
      method: "GET",
      path: "/api/v1/listings/{listingId}",
      handler: fn("listings/get"),
      auth: "public",
      table: "read",
    },
  ] as const satisfies readonly Route[];
}

function photoRoutes() {
  const images = "/api/v1/hosts/{hostId}/listings/{listingId}/images";
  const h = (file: string) => fn(`hosts/listings/images/${file}`);
  return [
    {
      method: "POST",
      path: images,
      handler: h("request-upload"),
      auth: "host",
      bucket: "upload",
      table: "write",
    },
    { method: "GET", path: images, handler: h("list"), auth: "host", table: "read" },
    { method: "PUT", path: `${images}/order`, handler: h("order"), auth: "host", table: "write" },
    {
      method: "DELETE",
      path: `${images}/{imageId}`,
      handler: h("delete"),
      auth: "host",
      bucket: "delete",
      table: "write",
    },
  ] as const satisfies readonly Route[];
}

/** `GET /api/v1/health`: the route key format of API Gateway and SST's `Api` routes. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
