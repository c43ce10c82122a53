import sharp from "sharp";
import type { Actor } from "../actor.js";
import { Images } from "../image/index.js";
import { processUpload } from "../image/processing.js";
import { uploadKey } from "../storage.js";

/**
 * Demo photos: real JPEGs drawn here (a sky, a sun, hills and a house in a palette picked by
 * index), uploaded the way the dashboard does (request, presigned POST) and processed by the
 * processor's own code in this process. In AWS the deployed processor gets the same upload
 * event and finds the photo READY already (it is idempotent); locally, the same.
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

/** Uploads `bytes` as a photo of the listing and processes it; resolves to the image id. */
export async function addPhoto(
  actor: Actor,
  hostId: string,
  listingId: string,
  bytes: Uint8Array,
  options: { contentType?: "image/jpeg" | "image/png" | "image/webp"; caption?: string } = {},
): Promise<string> {
  const contentType = options.contentType ?? "image/jpeg";
  const { image, upload } = await Images.requestUpload(actor, hostId, listingId, {
    contentType,
    contentLength: bytes.byteLength,
    ...(options.caption ? { caption: options.caption } : {}),
  });
  await postUpload(upload, bytes, contentType);
  const outcome = await processUpload(uploadKey({ hostId, listingId, imageId: image.imageId }));
  if (outcome.result === "FAILED") throw new Error(`Photo refused: ${outcome.reason}`);
  // SKIPPED means a deployed processor got there first; make sure the summary shows it.
  if (outcome.result === "SKIPPED") await Images.refreshPhotos(listingId);
  return image.imageId;
}
