import sharp from "sharp";
import { type ApiClient, CheckFailed, expectStatus, type Fetch, objectBody } from "./http.js";
import type { Runner } from "./runner.js";

/**
 * The photo part of the host round trip: what a host does with a photo, through the deployed
 * pieces a broken release would break first (presigned POST to the bucket, the S3 -> SQS ->
 * container processor path, the CDN). The photo is deleted again whatever happened.
 */
export const PHOTO_CHECKS = [
  "photo upload",
  "photo ready",
  "photo variant",
  "photo delete",
] as const;

export interface PhotoDeps {
  timeoutMs: number;
  fetch?: Fetch;
  /** How long the processor may take (a cold container start is most of it). */
  photoTimeoutMs?: number;
  /** Between two looks at the photo's status. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** 90 s: a cold start of the 1769 MB container plus a queue hop, with room to spare. */
export const DEFAULT_PHOTO_TIMEOUT_MS = 90_000;

interface Ticket {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
}

interface PhotoState {
  imageId: string;
  status: string;
  failureReason?: string;
  variants?: { name: string; url: string }[];
}

/** A real JPEG, drawn here: a photo the processor must decode, rotate and encode. */
async function testPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
  <rect width="640" height="480" fill="#8ec5fc"/><circle cx="480" cy="120" r="60" fill="#fff6c8"/>
  <path d="M0 330 Q 160 250 320 320 T 640 300 V 480 H 0 Z" fill="#3f7d4e"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

function ticketOf(body: Record<string, unknown>): Ticket {
  const image = body.image as { imageId?: unknown } | undefined;
  const upload = body.upload as Ticket["upload"] | undefined;
  if (typeof image?.imageId !== "string" || typeof upload?.url !== "string" || !upload.fields) {
    throw new CheckFailed("the upload request's answer has no image id and presigned POST");
  }
  return { imageId: image.imageId, upload };
}

async function photosOf(api: ApiClient, path: string, token: string): Promise<PhotoState[]> {
  const response = await api.request("GET", path, { token });
  expectStatus(response, 200);
  const items = objectBody(response).items;
  if (!Array.isArray(items)) throw new CheckFailed(`GET ${path}: no items array`);
  return items as PhotoState[];
}

/** WebP is a RIFF container: "RIFF", a length, "WEBP". */
function isWebp(bytes: Uint8Array): boolean {
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return bytes.byteLength > 12 && text(0, 4) === "RIFF" && text(8, 12) === "WEBP";
}

export async function photoRoundTrip(
  runner: Runner,
  api: ApiClient,
  { token, listing: images }: { token: string; listing: string },
  deps: PhotoDeps,
): Promise<void> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const limit = deps.photoTimeoutMs ?? DEFAULT_PHOTO_TIMEOUT_MS;
  const poll = deps.pollMs ?? 1000;
  const clock = () => (deps.now?.() ?? new Date()).getTime();

  const ticket = await runner.run("photo upload", async () => {
    const bytes = await testPhoto();
    const response = await api.request("POST", images, {
      token,
      body: { contentType: "image/jpeg", contentLength: bytes.byteLength, caption: "Smoke test" },
    });
    expectStatus(response, 201);
    const ticket = ticketOf(objectBody(response));
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }));
    let posted: Response;
    try {
      posted = await doFetch(ticket.upload.url, {
        method: "POST",
        body: form,
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (error) {
      throw new CheckFailed(`POST ${ticket.upload.url}: ${(error as Error).message}`);
    }
    if (!posted.ok) {
      throw new CheckFailed(
        `the bucket refused the upload: ${posted.status} ${(await posted.text()).slice(0, 300)}`,
      );
    }
    return { value: ticket, detail: `${ticket.imageId}, ${bytes.byteLength} bytes` };
  });
  if (!ticket) {
    runner.skip(PHOTO_CHECKS.slice(1), "photo upload failed");
    return;
  }

  const ready = await runner.run("photo ready", async () => {
    const started = clock();
    for (;;) {
      const photo = (await photosOf(api, images, token)).find((i) => i.imageId === ticket.imageId);
      if (!photo) throw new CheckFailed(`${ticket.imageId} is not among the listing's photos`);
      if (photo.status === "READY") {
        return { value: photo, detail: `READY after ${clock() - started} ms` };
      }
      if (photo.status === "FAILED") {
        throw new CheckFailed(`the processor refused the test photo: ${photo.failureReason}`);
      }
      if (clock() - started >= limit) {
        throw new CheckFailed(
          `still ${photo.status} after ${limit / 1000} s: is the processor running? (its queue, DLQ and logs)`,
        );
      }
      await sleep(poll);
    }
  });

  if (ready) {
    await runner.run("photo variant", async () => {
      const variant = ready.variants?.at(-1);
      if (!variant) throw new CheckFailed("the READY photo has no variants");
      let response: Response;
      try {
        response = await doFetch(variant.url, { signal: AbortSignal.timeout(deps.timeoutMs) });
      } catch (error) {
        throw new CheckFailed(`GET ${variant.url}: ${(error as Error).message}`);
      }
      if (response.status !== 200) throw new CheckFailed(`GET ${variant.url}: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const type = response.headers.get("content-type");
      if (type !== "image/webp" || !isWebp(bytes)) {
        throw new CheckFailed(`GET ${variant.url}: ${type}, not a WebP image`);
      }
      return { value: true, detail: `${variant.name} ${bytes.byteLength} bytes of WebP` };
    });
  } else {
    runner.skip(["photo variant"], "photo ready failed");
  }

  const one = `${images}/${encodeURIComponent(ticket.imageId)}`;
  await runner.run("photo delete", async () => {
    try {
      expectStatus(await api.request("DELETE", one, { token }), 204);
      const left = (await photosOf(api, images, token)).some((i) => i.imageId === ticket.imageId);
      if (left) throw new CheckFailed("the photo is still listed after DELETE");
    } catch (error) {
      const why = error instanceof CheckFailed ? error.message : String(error);
      throw new CheckFailed(
        `${why}. LEFT BEHIND: photo ${ticket.imageId}; delete it with DELETE ${one}.`,
      );
    }
    return { value: true, detail: "deleted" };
  });
}
