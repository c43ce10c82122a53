import { type HttpMethod, routeKey, routes } from "@localstays/functions/routes";

/**
 * The API's routes as the dashboard calls them, derived from the route table itself
 * (packages/functions/src/routes.ts: plain data, no handler code), so the client never
 * restates a method, a path or whether a route wants a token.
 */
type Routes = (typeof routes)[number];
type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;
/** `PATCH /api/v1/hosts/{hostId}/listings/{listingId}`: API Gateway's route key. */
export type RouteKey = KeyOf<Routes>;

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;
/** The path parameters a route needs, by name: `{ hostId, listingId }`. */
export type RouteParams<K extends RouteKey> = Record<ParamNames<PathOf<K>>, string>;

export interface Endpoint {
  method: HttpMethod;
  /** Below /api/v1, parameters filled in and URL-encoded. */
  path: string;
  /** Whether the route wants the signed-in user's token (every route but public ones). */
  auth: boolean;
}

const API_PREFIX = "/api/v1";
const byKey = new Map<string, Routes>(routes.map((route) => [routeKey(route), route]));

export function endpoint<K extends RouteKey>(key: K, params: RouteParams<K>): Endpoint {
  const route = byKey.get(key);
  if (!route) throw new Error(`No route ${key}`);
  const values = params as Record<string, string>;
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${key} needs ${name}`);
    return encodeURIComponent(value);
  });
  return {
    method: route.method,
    path: path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) : path,
    auth: route.auth !== "public",
  };
}
