import {
  type Route,
  type RouteAuth,
  routeKey,
  routes,
} from "../../packages/functions/src/routes.js";

/**
 * What a visitor does on a quiet stage, where every function is cold: the routes a session
 * touches, in order. With one function per route each distinct route is a cold start; with
 * one function per audience, each distinct audience is.
 */
export const JOURNEYS = {
  "guest browses": ["GET /api/v1/listings", "GET /api/v1/listings/{listingId}"],
  "host edits a listing": [
    "GET /api/v1/me",
    "GET /api/v1/hosts/{hostId}/listings",
    "GET /api/v1/hosts/{hostId}/listings/{listingId}",
    "PATCH /api/v1/hosts/{hostId}/listings/{listingId}",
    "GET /api/v1/hosts/{hostId}/listings/{listingId}/images",
    "POST /api/v1/hosts/{hostId}/listings/{listingId}/images",
    "POST /api/v1/hosts/{hostId}/listings/{listingId}/submit",
  ],
  "admin reviews": [
    "GET /api/v1/admin/listings",
    "GET /api/v1/listings/{listingId}",
    "POST /api/v1/admin/listings/{listingId}/approve",
  ],
} as const;

export function journeyRoutes(keys: readonly string[]): Route[] {
  return keys.map((key) => {
    const route = (routes as readonly Route[]).find((candidate) => routeKey(candidate) === key);
    if (!route) throw new Error(`No route ${key} in the route table`);
    return route;
  });
}

/** Distinct functions a journey wakes: routes (per-route design) or audiences (grouped). */
export function coldStarts(keys: readonly string[]): { perRoute: Route[]; grouped: RouteAuth[] } {
  const visited = [
    ...new Map(journeyRoutes(keys).map((route) => [routeKey(route), route])).values(),
  ];
  return { perRoute: visited, grouped: [...new Set(visited.map((route) => route.auth))] };
}
