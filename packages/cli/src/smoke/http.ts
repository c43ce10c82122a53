/**
 * The smoke suite's view of the API: one request, timed, with the body parsed and transport
 * failures turned into sentences an operator can act on. `fetch` is injectable so the check
 * sequence can be tested against a scripted API.
 */
export type Fetch = typeof fetch;

export interface ApiResponse {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A check's reason to fail; its message is printed as is. */
export class CheckFailed extends Error {
  override name = "CheckFailed";
}

export interface ApiClient {
  readonly baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
}

/**
 * Waits before a request answered 429 is sent again: the API's throttle (API Gateway's
 * `{"message":"Too Many Requests"}`, no Retry-After) or a quota's (QUOTA_EXCEEDED with
 * Retry-After, honoured when it is shorter than the wait here). A smoke run must not fail
 * because another client used the route's burst; a third 429 is a failure.
 */
const RETRY_429_DELAYS_MS = [1000, 3000];

export function apiClient(
  baseUrl: string,
  {
    timeoutMs,
    fetch: doFetch = fetch,
    retryDelaysMs = RETRY_429_DELAYS_MS,
  }: { timeoutMs: number; fetch?: Fetch; retryDelaysMs?: readonly number[] },
): ApiClient {
  const base = baseUrl.replace(/\/+$/, "");
  const once = async (method: string, path: string, options: RequestOptions) => {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CheckFailed(`${method} ${base}${path}: ${transportProblem(error, timeoutMs)}`);
    }
    const text = await response.text();
    return {
      method,
      path,
      status: response.status,
      headers: response.headers,
      body: parse(text),
    } satisfies ApiResponse;
  };
  return {
    baseUrl: base,
    async request(method, path, options = {}) {
      for (let attempt = 0; ; attempt++) {
        const response = await once(method, path, options);
        const delay = retryDelaysMs[attempt];
        if (response.status !== 429 || delay === undefined) return response;
        const retryAfter = Number(response.headers.get("retry-after")) * 1000;
        const wait = retryAfter > 0 ? Math.min(retryAfter, delay) : delay;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** fetch hides the reason in `cause` chains ("fetch failed"); name the one that matters. */
function transportProblem(error: unknown, timeoutMs: number): string {
  const name = (error as Error).name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  type Cause = { code?: string; message?: string; cause?: unknown };
  let innermost = error as Cause;
  for (let e: Cause | undefined = innermost; e; e = e.cause as Cause | undefined) {
    if (e.code === "ECONNREFUSED") return "connection refused (nothing listens there)";
    if (e.code === "ENOTFOUND") return "unknown host (DNS lookup failed)";
    if (e.code === "ECONNRESET") return "connection reset";
    if (e.code?.startsWith("ERR_TLS") || e.code?.includes("CERT")) return `TLS error (${e.code})`;
    innermost = e;
  }
  if (name === "TypeError" && /invalid url|failed to parse url/i.test((error as Error).message)) {
    return "not a valid URL";
  }
  // "fetch failed" says nothing; the innermost cause says why (e.g. "bad port").
  return `request failed (${innermost.message ?? String(error)})`;
}

/** `expected 200, got 404 NOT_FOUND: Listing not found` — the API's own error text included. */
export function expectStatus(response: ApiResponse, ...expected: number[]): void {
  if (expected.includes(response.status)) return;
  const error = (response.body as { error?: { code?: string; message?: string } } | undefined)
    ?.error;
  const why = error
    ? ` ${error.code ?? ""}: ${error.message ?? ""}`
    : typeof response.body === "string"
      ? `: ${response.body.slice(0, 200)}`
      : "";
  throw new CheckFailed(
    `${response.method} ${response.path}: expected ${expected.join(" or ")}, got ${response.status}${why}`,
  );
}

/** The body as an object, or a failure naming the request. */
export function objectBody(response: ApiResponse): Record<string, unknown> {
  const body = response.body;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    return body as Record<string, unknown>;
  }
  throw new CheckFailed(`${response.method} ${response.path}: the body is not a JSON object`);
}
