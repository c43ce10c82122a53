import { randomUUID } from "node:crypto";
import { Host, type Listing, type Photos } from "@localstays/core";
import { exampleListing } from "@localstays/core/listing/example";
import type { Page } from "@localstays/core/schema";
import { demoPhoto, postUpload } from "@localstays/core/seed/photos";
import { type Route, routeKey, routes } from "@localstays/functions/routes";
import { expect } from "vitest";
import type { LocalStack } from "../../src/stack.js";
import { forgeToken, startTestStack } from "../../src/testing.js";

/**
 * The listing API as a client sees it, for the specifications in this folder: requests go
 * through the local gateway (route table, JWT authorizer, API Gateway event, real handler),
 * and every answer is checked for the two rules that hold whatever the request:
 *   - a 5xx is a bug;
 *   - an error (>= 400) is JSON of exactly `{ error: { code, message, details? } }`.
 */

export interface ApiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  /** The raw body as received. */
  text: string;
  /** The parsed JSON body of a success (undefined for an empty one, e.g. 204). */
  body: T;
  /** The error of a >= 400 answer, undefined otherwise. */
  error: ApiError | undefined;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** A value to send as JSON (content-type application/json). */
  json?: unknown;
  /** A body sent verbatim (content type from `contentType`, none by default). */
  raw?: string | undefined;
  contentType?: string | undefined;
  headers?: Record<string, string> | undefined;
}

export type { Page };
export type Info = Listing.Info;
export type PublicInfo = Listing.PublicInfo;
export type Status = Listing.Status;
export type PhotoInfo = Photos.PhotoInfo;
export type UploadTicket = Photos.UploadTicket;

/** Asserts the two universal rules on one answer; the message names the request. */
export function assertWellFormed(fullRequest: string, status: number, text: string): unknown {
  const request = shorten(fullRequest);
  expect(status, `${request} answered ${status}: ${text}`).toBeLessThan(500);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new Error(`${request} answered ${status} with a body that is not JSON: ${text}`);
  }
  if (status >= 400) {
    expect(body, `${request} answered ${status} without the error shape: ${text}`).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
    const error = (body as { error: Record<string, unknown> }).error;
    expect(
      Object.keys(error).filter((k) => !["code", "message", "details"].includes(k)),
      `${request}: extra keys in the error of ${text}`,
    ).toEqual([]);
    if ("details" in error) {
      expect(error.details, `${request}: details must be an object`).toEqual(expect.any(Object));
    }
  }
  return body;
}

/** A signed-in user as the API sees it: a token and, for hosts, the own host id. */
export interface User {
  label: string;
  sub: string;
  email: string;
  /** The access token, the only kind the API accepts. */
  token: string;
  /** The same user's ID token (same client, same groups), which the API refuses. */
  idToken: string;
  hostId: string;
}

export class Api {
  private constructor(readonly stack: LocalStack) {}

  static async start(): Promise<Api> {
    return new Api(await startTestStack());
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }

  get url(): string {
    return this.stack.outputs.ApiUrl;
  }

  /** One request, checked: a 5xx or a malformed error fails the test. */
  async call<T = unknown>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Reply<T>> {
    const { status, headers, text } = await this.send(method, path, options);
    const parsed = assertWellFormed(`${method} ${path}`, status, text);
    const failed = status >= 400;
    return {
      status,
      headers,
      text,
      body: (failed ? undefined : parsed) as T,
      error: failed ? (parsed as { error: ApiError }).error : undefined,
    };
  }

  /** One request, unchecked (for tests that collect failures before asserting). */
  async send(method: string, path: string, options: CallOptions = {}) {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (options.contentType !== undefined) headers["content-type"] = options.contentType;
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  /** A host with its Host record (as the sign-up trigger would have made it) and a token. */
  async host(label = "host"): Promise<User> {
    const sub = `${label}-${randomUUID()}`;
    const email = `${sub}@example.com`;
    const { hostId } = await Host.register({ cognitoSub: sub, email });
    return { label, sub, email, hostId, ...(await this.tokens(sub, email, ["hosts"])) };
  }

  /** An admin (groups admins and hosts, with a host record of its own, as the demo admin). */
  async admin(label = "admin"): Promise<User> {
    const sub = `${label}-${randomUUID()}`;
    const email = `${sub}@example.com`;
    const { hostId } = await Host.register({ cognitoSub: sub, email });
    return { label, sub, email, hostId, ...(await this.tokens(sub, email, ["admins", "hosts"])) };
  }

  private async tokens(sub: string, email: string, groups: string[]) {
    const claims = { sub, "cognito:groups": groups };
    return {
      token: await forgeToken(this.stack.outputs, claims),
      idToken: await forgeToken(this.stack.outputs, { ...claims, email, token_use: "id" }),
    };
  }

  /** Calls that must succeed (setup steps): asserts the status and returns the body. */
  async ok<T>(expected: number, method: string, path: string, options: CallOptions = {}) {
    const reply = await this.call<T>(method, path, options);
    expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(expected);
    return reply.body;
  }

  create(owner: User, fields: object = completeListing()): Promise<Info> {
    return this.ok<Info>(201, "POST", paths.listings(owner.hostId), {
      token: owner.token,
      json: fields,
    });
  }

  get(owner: User, listingId: string): Promise<Info> {
    return this.ok<Info>(200, "GET", paths.listing(owner.hostId, listingId), {
      token: owner.token,
    });
  }

  /**
   * A fresh listing of `owner` in `status`, brought there through the API the way a host and
   * an admin would. ARCHIVED goes through ONLINE, so it was once in search.
   */
  async listingIn(
    status: Status,
    owner: User,
    admin: User,
    fields: object = completeListing(),
  ): Promise<Info> {
    const listing = await this.create(owner, fields);
    const id = listing.listingId;
    // Submit needs a photo; drafts get one too, as a host's usually have.
    await this.addPhoto(owner, id);
    const steps: Record<Status, Array<() => Promise<unknown>>> = {
      DRAFT: [],
      IN_REVIEW: [() => this.submit(owner, id)],
      APPROVED: [() => this.submit(owner, id), () => this.approve(admin, listing)],
      REJECTED: [() => this.submit(owner, id), () => this.reject(admin, id)],
      ONLINE: [
        () => this.submit(owner, id),
        () => this.approve(admin, listing),
        () => this.publish(owner, id),
      ],
      OFFLINE: [
        () => this.submit(owner, id),
        () => this.approve(admin, listing),
        () => this.publish(owner, id),
        () => this.unpublish(owner, id),
      ],
      ARCHIVED: [
        () => this.submit(owner, id),
        () => this.approve(admin, listing),
        () => this.publish(owner, id),
        () => this.ok(204, "DELETE", paths.listing(owner.hostId, id), { token: owner.token }),
      ],
    };
    for (const step of steps[status]) await step();
    const current = await this.get(owner, id);
    expect(current.status).toBe(status);
    return current;
  }

  /**
   * Uploads a small real photo the way the dashboard does (request, presigned POST to the
   * local S3) and waits for the processor: the photo as the host then sees it.
   */
  async addPhoto(
    owner: User,
    listingId: string,
    file: { bytes: Uint8Array; contentType: string } | undefined = undefined,
  ): Promise<PhotoInfo> {
    const { bytes, contentType } = file ?? {
      bytes: await demoPhoto(0, 160),
      contentType: "image/jpeg",
    };
    const ticket = await this.ok<UploadTicket>(201, "POST", paths.images(owner.hostId, listingId), {
      token: owner.token,
      json: { contentType, contentLength: bytes.byteLength },
    });
    await postUpload(ticket.upload, bytes, contentType);
    return this.processed(owner, listingId, ticket.image.imageId);
  }

  async photos(owner: User, listingId: string): Promise<PhotoInfo[]> {
    const { items } = await this.ok<{ items: PhotoInfo[] }>(
      200,
      "GET",
      paths.images(owner.hostId, listingId),
      { token: owner.token },
    );
    return items;
  }

  /** The photo once the processor is done with it (READY or FAILED). */
  async processed(owner: User, listingId: string, imageId: string): Promise<PhotoInfo> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await this.stack.uploads.idle();
      const image = (await this.photos(owner, listingId)).find((i) => i.imageId === imageId);
      if (image && image.status !== "PENDING_UPLOAD") return image;
      if (Date.now() > deadline) throw new Error(`Photo ${imageId} still ${image?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  submit(owner: User, listingId: string) {
    return this.ok<Info>(200, "POST", paths.submit(owner.hostId, listingId), {
      token: owner.token,
    });
  }

  /** As the dashboard approves: after reading the listing, naming the photo set it showed. */
  async approve(admin: User, listing: { hostId: string; listingId: string }, note?: string) {
    const { photosRev } = await this.ok<Info>(
      200,
      "GET",
      paths.listing(listing.hostId, listing.listingId),
      { token: admin.token },
    );
    return this.ok<Info>(200, "POST", paths.approve(listing.listingId), {
      token: admin.token,
      json: { photosRev, ...(note === undefined ? {} : { note }) },
    });
  }

  reject(admin: User, listingId: string, reason = "The photos do not show the flat") {
    return this.ok<Info>(200, "POST", paths.reject(listingId), {
      token: admin.token,
      json: { reason },
    });
  }

  publish(owner: User, listingId: string) {
    return this.ok<Info>(200, "PUT", paths.publish(owner.hostId, listingId), {
      token: owner.token,
    });
  }

  unpublish(owner: User, listingId: string) {
    return this.ok<Info>(200, "PUT", paths.unpublish(owner.hostId, listingId), {
      token: owner.token,
    });
  }

  /** Every page of a paginated GET, following `nextCursor` to the end. */
  async allPages<T>(path: string, query: Record<string, string>, token?: string) {
    const pages: Page<T>[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
      const page: Page<T> = await this.ok<Page<T>>(200, "GET", `${path}?${params}`, { token });
      pages.push(page);
      cursor = page.nextCursor;
      expect(pages.length, "paging does not end").toBeLessThan(1000);
    } while (cursor);
    return pages;
  }
}

/** Statuses a listing has once it passed submit: it must stay complete in all of them. */
export const REVIEWED_STATUSES: readonly Status[] = ["IN_REVIEW", "APPROVED", "ONLINE", "OFFLINE"];

/**
 * One PATCH of a fresh listing in `status`, then whatever the status machine allows next
 * (approve, publish), then every reader. What must hold: the PATCH is a 200, a 400 or (a
 * content edit while IN_REVIEW) a 409 INVALID_TRANSITION; a listing past submit stays
 * complete; no reader answers a 5xx (`Api.call` checks that).
 */
export async function checkEdit(
  api: Api,
  { owner, admin }: { owner: User; admin: User },
  status: Status,
  edit: Record<string, unknown>,
): Promise<void> {
  const listing = await api.listingIn(status, owner, admin);
  const { listingId } = listing;
  const reply = await api.call<Info>("PATCH", paths.listing(owner.hostId, listingId), {
    token: owner.token,
    json: { ...edit, version: listing.version },
  });
  expect([200, 400, 409], reply.text).toContain(reply.status);
  if (reply.status === 409) expect(reply.error?.code).toBe("INVALID_TRANSITION");
  await api.call("POST", paths.approve(listingId), {
    token: admin.token,
    json: { photosRev: listing.photosRev },
  });
  await api.call("PUT", paths.publish(owner.hostId, listingId), { token: owner.token });
  const after = await api.get(owner, listingId);
  if (REVIEWED_STATUSES.includes(after.status)) {
    expect(
      after.missingForSubmit,
      `${status} + PATCH ${JSON.stringify(edit)} → ${reply.status}, then ${after.status} but incomplete`,
    ).toEqual([]);
  }
  // The readers: the public page, search in its city, the owner's list, the review queue.
  await api.call("GET", paths.public(listingId));
  await api.call("GET", paths.search({ city: after.address?.city ?? "Zürich", limit: "100" }));
  await api.call("GET", `${paths.listings(owner.hostId)}?limit=100`, { token: owner.token });
  await api.call("GET", `${paths.queue()}?status=${after.status}&limit=100`, {
    token: admin.token,
  });
}

const enc = encodeURIComponent;

/** Long paths and bodies cut in the middle, so a failure message stays readable. */
export function shorten(text: string, max = 300): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max / 2)}…(${text.length} chars)…${text.slice(-max / 2)}`;
}

/** The API's paths, with every parameter URL-encoded. */
export const paths = {
  listings: (hostId: string) => `/api/v1/hosts/${enc(hostId)}/listings`,
  listing: (hostId: string, listingId: string) =>
    `/api/v1/hosts/${enc(hostId)}/listings/${enc(listingId)}`,
  submit: (hostId: string, listingId: string) => `${paths.listing(hostId, listingId)}/submit`,
  publish: (hostId: string, listingId: string) => `${paths.listing(hostId, listingId)}/publish`,
  unpublish: (hostId: string, listingId: string) => `${paths.listing(hostId, listingId)}/unpublish`,
  queue: () => "/api/v1/admin/listings",
  approve: (listingId: string) => `/api/v1/admin/listings/${enc(listingId)}/approve`,
  reject: (listingId: string) => `/api/v1/admin/listings/${enc(listingId)}/reject`,
  images: (hostId: string, listingId: string) => `${paths.listing(hostId, listingId)}/images`,
  image: (hostId: string, listingId: string, imageId: string) =>
    `${paths.listing(hostId, listingId)}/images/${enc(imageId)}`,
  search: (query: Record<string, string>) => `/api/v1/listings?${new URLSearchParams(query)}`,
  public: (listingId: string) => `/api/v1/listings/${enc(listingId)}`,
};

/** A route's path with its `{name}` parameters filled in (URL-encoded unless `raw`). */
export function fill(path: string, params: Record<string, string>, raw = false): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${path}`);
    return raw ? value : enc(value);
  });
}

/** The route table's listing routes: every route whose path contains `/listings`. */
export const listingRoutes: readonly Route[] = routes.filter((r) => r.path.includes("/listings"));
export const allRoutes: readonly Route[] = routes;
export { routeKey };

/** Everything a listing needs to be submitted. */
export const completeListing = exampleListing;

/** base64url of a string, as the API encodes its cursors. */
export const base64url = (text: string) => Buffer.from(text).toString("base64url");
export const decodeCursor = (cursor: string): Record<string, string> =>
  JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
