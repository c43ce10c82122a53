/**
 * API Gateway's route selection for HTTP APIs: `{name}` matches one path segment,
 * `{name+}` the rest of the path, and when several routes match, the most specific wins
 * (literal segments before parameters before a greedy parameter).
 */
export interface RouteLike {
  method: string;
  path: string;
}

export type RouteMatch<R> =
  | { kind: "route"; route: R; pathParameters: Record<string, string> }
  /** The path exists under another method; API Gateway still answers 404. */
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "none" };

type Segment =
  | { kind: "literal"; value: string }
  | { kind: "param"; name: string }
  | { kind: "greedy"; name: string };

interface CompiledRoute<R> {
  route: R;
  segments: Segment[];
  rank: number[];
}

function compile(path: string): Segment[] {
  return path
    .split("/")
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([^}+]+)(\+)?\}$/.exec(part);
      if (!param) return { kind: "literal", value: part };
      const name = param[1] as string;
      return param[2] ? { kind: "greedy", name } : { kind: "param", name };
    });
}

const RANK = { literal: 2, param: 1, greedy: 0 } as const;

function byRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === "greedy") {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.every((p) => p === "")) return undefined;
      parameters[segment.name] = decode(rest.join("/"));
      return parameters;
    }
    const part = parts[i];
    if (part === undefined || part === "") return undefined;
    if (segment.kind === "literal" && part !== segment.value) return undefined;
    if (segment.kind === "param") parameters[segment.name] = decode(part);
  }
  return parts.length === segments.length ? parameters : undefined;
}

export function createRouter<R extends RouteLike>(routes: readonly R[]) {
  const compiled: CompiledRoute<R>[] = routes
    .map((route) => {
      const segments = compile(route.path);
      return { route, segments, rank: segments.map((s) => RANK[s.kind]) };
    })
    .sort((a, b) => byRank(a.rank, b.rank));

  return {
    match(method: string, rawPath: string): RouteMatch<R> {
      const parts = rawPath.split("/").slice(1);
      const allowed: string[] = [];
      for (const candidate of compiled) {
        const pathParameters = matchPath(candidate.segments, parts);
        if (!pathParameters) continue;
        if (candidate.route.method === method) {
          return { kind: "route", route: candidate.route, pathParameters };
        }
        allowed.push(candidate.route.method);
      }
      return allowed.length ? { kind: "method-not-allowed", allowed } : { kind: "none" };
    },
  };
}
