import sharp from "sharp";
import type { Actor } from "../actor.js";
import { Photos } from "../photo/index.js";
import { processUpload } from "../photo/processing.js";
import { photosOf, refreshPhotos } from "../photo/records.js";
import { uploadKey } from "../storage.js";

/**
 * Demo photos: real JPEGs drawn here (a sky, a sun, hills and a house in a palette picked by
 * index), uploaded the way the dashboard does (request, presigned POST), then processed by
 * exactly one processor: the stage's own (the local stack's upload events, S3 -> SQS ->
 * Lambda in AWS), which `awaitPhotos` waits for, or, where none watches the bucket (core's
 * tests, `pnpm start` before its upload events start), the processor's code in this process
 * (`addPhoto`). Both at once would race for each upload.
 */
const WIDTH = 960;
const HEIGHT = 640;
/** Distinct drawings; more would only cost seeding time (each is processed per upload anyway). */
const DRAWINGS = 12;

const PALETTES = [
  { sky: ["#8ec5fc", "#e0c3fc"], hills: "#3f7d4e", house: "#f4e1c1", roof: "#b5523b" },
  { sky: ["#f6d365", "#fda085"], hills: "#6b8f3a", house: "#ffffff", roof: "#37474f" },
  { sky: ["#a1c4fd", "#c2e9fb"], hills: "#2e6b5e", house: "#e8d5b7", roof: "#8d3b2b" },
  { sky: ["#fbc2eb", "#a6c1ee"], hills: "#557a46", house: "#fdf6e3", roof: "#5d4037" },
  { sky: ["#84fab0", "#8fd3f4"], hills: "#386641", house: "#f2e8cf", roof: "#bc4749" },
  { sky: ["#ffecd2", "#fcb69f"], hills: "#7f9c54", house: "#fefae0", roof: "#6d597a" },
] as const;

const cache = new Map<string, Promise<Buffer>>();

/**
 * The demo photo number `index` (any integer; twelve drawings in six palettes), 960 px wide
 * unless `width` asks for a smaller one (tests, where only the flow matters).
 */
export function demoPhoto(index: number, width = WIDTH): Promise<Buffer> {
  const n = Math.abs(Math.trunc(index)) % DRAWINGS;
  const key = `${n}/${width}`;
  let photo = cache.get(key);
  if (!photo) {
    photo = draw(n, width);
    cache.set(key, photo);
  }
  return photo;
}

function draw(index: number, width: number): Promise<Buffer> {
  const p = PALETTES[index % PALETTES.length] ?? PALETTES[0];
  const sunX = 140 + ((index * 137) % 680);
  const houseX = 200 + ((index * 89) % 480);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="${p.sky[0]}"/><stop offset="1" stop-color="${p.sky[1]}"/>
  </linearGradient></defs>
  <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#sky)"/>
  <circle cx="${sunX}" cy="130" r="60" fill="#fff6c8" opacity="0.9"/>
  <path d="M0 430 Q 240 330 480 420 T 960 400 V 640 H 0 Z" fill="${p.hills}"/>
  <rect x="${houseX}" y="380" width="220" height="150" fill="${p.house}"/>
  <polygon points="${houseX - 20},380 ${houseX + 110},300 ${houseX + 240},380" fill="${p.roof}"/>
  <rect x="${houseX + 90}" y="450" width="44" height="80" fill="${p.roof}"/>
  <rect x="${houseX + 25}" y="410" width="40" height="36" fill="#9fd3f2"/>
  <rect x="${houseX + 155}" y="410" width="40" height="36" fill="#9fd3f2"/>
</svg>`;
  return sharp(Buffer.from(svg)).resize(width).jpeg({ quality: 85 }).toBuffer();
}

/** POSTs a file with a presigned POST, as a browser form does (fields first, file last). */
export async function postUpload(
  upload: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  contentType: string,
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", new Blob([bytes], { type: contentType }));
  const response = await fetch(upload.url, { method: "POST", body: form });
  if (!response.ok) {
    throw new Error(`Upload refused: ${response.status} ${await response.text()}`);
  }
}

export interface PhotoOptions {
  contentType?: "image/jpeg" | "image/png" | "image/webp";
  caption?: string;
}

/** Requests an upload and POSTs `bytes` to it; resolves to the PENDING_UPLOAD photo's id. */
export async function uploadPhoto(
  actor: Actor,
  hostId: string,
  listingId: string,
  bytes: Uint8Array,
  options: PhotoOptions = {},
): Promise<string> {
  const contentType = options.contentType ?? "image/jpeg";
  const { image, upload } = await Photos.requestUpload(actor, hostId, listingId, {
    contentType,
    contentLength: bytes.byteLength,
    ...(options.caption ? { caption: options.caption } : {}),
  });
  await postUpload(upload, bytes, contentType);
  return image.imageId;
}

/** A photo the processor refused (FAILED): a demo photo never should be. */
export class PhotoRefused extends Error {
  override name = "PhotoRefused";
}

/** Photos still PENDING_UPLOAD when the wait for the stage's processor ran out. */
export class PhotosNotProcessed extends Error {
  override name = "PhotosNotProcessed";
  constructor(
    readonly listingId: string,
    readonly photoIds: string[],
    readonly waitedMs: number,
  ) {
    super(
      `${photoIds.length} photo(s) of listing ${listingId} (${photoIds.join(", ")}) are still ` +
        `PENDING_UPLOAD after ${Math.round(waitedMs / 1000)} s: the stage's photo processor has not processed them`,
    );
  }
}

/**
 * Uploads `bytes` as a photo of the listing and processes it in this process; resolves to
 * the image id. Only where no processor watches the bucket (see the top of this file).
 */
export async function addPhoto(
  actor: Actor,
  hostId: string,
  listingId: string,
  bytes: Uint8Array,
  options: PhotoOptions = {},
): Promise<string> {
  const imageId = await uploadPhoto(actor, hostId, listingId, bytes, options);
  const outcome = await processUpload(uploadKey({ hostId, listingId, imageId }));
  if (outcome.result === "FAILED") throw new PhotoRefused(`Photo refused: ${outcome.reason}`);
  return imageId;
}

/**
 * Waits until the stage's processor has made each of the photos READY (or FAILED: then
 * PhotoRefused) and the listing shows them, polling their records with growing pauses;
 * PhotosNotProcessed after `timeoutMs`.
 */
export async function awaitPhotos(
  listingId: string,
  photoIds: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  let pause = 100;
  for (;;) {
    const images = (await photosOf(listingId)).filter((i) => photoIds.includes(i.imageId));
    const failed = images.find((i) => i.status === "FAILED");
    if (failed) {
      throw new PhotoRefused(`Photo ${failed.imageId} refused: ${failed.failureReason}`);
    }
    const pending = photoIds.filter(
      (id) => images.find((i) => i.imageId === id)?.status !== "READY",
    );
    if (!pending.length) {
      // The processor marks a photo READY, then rewrites the listing's summary, which submit
      // reads: refresh it here too (conditional on the photo-set revision, so never stale).
      await refreshPhotos(listingId);
      return;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) throw new PhotosNotProcessed(listingId, pending, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, timeoutMs - waited)));
    pause = Math.min(pause * 2, 2000);
  }
}

/**
 * Gives a seeded listing its planned demo photos (numbers for `demoPhoto`), processed by the
 * one processor named. On a listing an earlier run left (`resumed`), photos it got READY
 * stay, and one it left unprocessed is deleted (its upload event may be long gone) and
 * uploaded again.
 */
export async function givePhotos(
  actor: Actor,
  listing: { hostId: string; listingId: string },
  photos: readonly number[],
  options: { resumed: boolean; processor: "stage" | "seed"; timeoutMs: number },
): Promise<void> {
  const { hostId, listingId } = listing;
  const images = options.resumed ? await Photos.list(actor, hostId, listingId) : [];
  for (const image of images.filter((i) => i.status !== "READY")) {
    await Photos.remove(actor, hostId, listingId, image.imageId);
  }
  const missing = photos.slice(images.filter((i) => i.status === "READY").length);
  if (options.processor === "seed") {
    for (const photo of missing) await addPhoto(actor, hostId, listingId, await demoPhoto(photo));
    return;
  }
  const uploaded: string[] = [];
  for (const photo of missing) {
    uploaded.push(await uploadPhoto(actor, hostId, listingId, await demoPhoto(photo)));
  }
  await awaitPhotos(listingId, uploaded, options.timeoutMs);
}
