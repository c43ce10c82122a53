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
}

const fn = (file: string) => `packages/functions/src/api/${file}.handler`;

export const routes = [
  { method: "GET", path: "/api/v1/health", handler: fn("health"), auth: "public" },
  { method: "GET", path: "/api/v1/me", handler: fn("me"), auth: "host" },
  { method: "GET", path: "/api/v1/hosts/{hostId}", handler: fn("hosts/get"), auth: "host" },
  { method: "PATCH", path: "/api/v1/hosts/{hostId}", handler: fn("hosts/update"), auth: "host" },
] as const satisfies readonly Route[];

/** `GET /api/v1/health`: the route key format of API Gateway and SST's `Api` routes. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
