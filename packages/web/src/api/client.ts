import { ApiError, NETWORK_ERROR, THROTTLED } from "./errors.js";
import { endpoint, type RouteKey, type RouteParams } from "./routes.js";

export type { Page } from "@localstays/core/schema";

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Send the signed-in user's access token (default); public routes say false. */
  auth?: boolean;
}

export interface ApiClient {
  /** `path` below /api/v1; resolves with the parsed JSON body (undefined when empty). */
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /** A route of the route table by its key: method, path and token come from the table. */
  call<K extends RouteKey, T = unknown>(
    key: K,
    params: RouteParams<K>,
    options?: Omit<RequestOptions, "method" | "auth">,
  ): Promise<T>;
}

export interface ApiClientOptions {
  baseUrl: string;
  /** The access token (the API accepts no other), or undefined when signed out. */
  accessToken: () => Promise<string | undefined>;
  fetch?: typeof fetch;
  /**
   * Waits before a throttled GET is sent again (API Gateway's 429 has no Retry-After);
   * default 0.5 s then 1.5 s. Writes are never repeated: the host decides.
   */
  throttleRetryDelaysMs?: readonly number[];
}

const THROTTLE_RETRY_DELAYS_MS = [500, 1500];

export function createApiClient(options: ApiClientOptions): ApiClient {
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    call(key, params, request = {}) {
      const { method, path, auth } = endpoint(key, params);
      return this.request(path, { ...request, method, auth });
    },
    async request<T>(path: string, request: RequestOptions = {}): Promise<T> {
      const url = new URL(`${options.baseUrl}/api/v1${path}`);
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
      }
      const headers: Record<string, string> = { accept: "application/json", ...request.headers };
      if (request.body !== undefined) headers["content-type"] = "application/json";
      if (request.auth ?? true) {
        const token = await options.accessToken();
        if (!token) throw new ApiError(401, "UNAUTHORIZED", "Not signed in");
        headers.authorization = `Bearer ${token}`;
      }
      const method = request.method ?? "GET";
      const delays =
        method === "GET" ? (options.throttleRetryDelaysMs ?? THROTTLE_RETRY_DELAYS_MS) : [];
      let response: Response;
      let text: string;
      for (let attempt = 0; ; attempt++) {
        try {
          response = await send(url, {
            method,
            headers,
            ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          });
        } catch (error) {
          throw new ApiError(
            0,
            NETWORK_ERROR,
            error instanceof Error ? error.message : String(error),
          );
        }
        text = await response.text();
        const delay = delays[attempt];
        if (
          delay === undefined ||
          response.status !== 429 ||
          errorOf(response, text).code !== THROTTLED
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      if (!response.ok) throw errorOf(response, text);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

function errorOf(response: Response, text: string): ApiError {
  try {
    const { error } = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> };
    };
    if (error?.code) {
      return new ApiError(response.status, error.code, error.message ?? "", error.details);
    }
  } catch {
    // Not the API's JSON (a proxy's HTML page, say): fall through to the status alone.
  }
  if (response.status === 429) {
    return new ApiError(429, THROTTLED, "Too many requests: the API is throttling this route");
  }
  return new ApiError(response.status, `HTTP_${response.status}`, text || response.statusText);
}
