import sharp from "sharp";
import { thumbHashToApproximateAspectRatio, thumbHashToAverageRGBA } from "thumbhash";
import { describe, expect, it } from "vitest";
import {
  type FailureReason,
  MAX_UPLOAD_BYTES,
  VARIANTS,
  withinDecodeBudget,
} from "../src/photo/formats.js";
import { PhotoRejected, type ProcessedPhoto, processPhoto } from "../src/photo/pipeline.js";
import {
  BLUE,
  cameraJpeg,
  canvas,
  flatOneBitPng,
  halfTransparentPng,
  hasGpsDirectory,
  near,
  pixelAt,
  pngHeader,
  RED,
  type Rgb,
  randomBytes,
  texturedPhoto,
  WHITE,
} from "./photo-fixtures.js";

/** The error processPhoto throws for `input`, or a failure when it does not throw. */
async function rejectionOf(input: Buffer): Promise<unknown> {
  try {
    await processPhoto(input);
  } catch (error) {
    return error;
  }
  throw new Error("processPhoto accepted the file");
}

async function expectRejected(input: Buffer, reason: FailureReason) {
  const error = await rejectionOf(input);
  expect(error).toBeInstanceOf(PhotoRejected);
  expect(error).toMatchObject({ reason });
}

const sizes = (image: ProcessedPhoto) => image.variants.map((v) => [v.name, v.width, v.height]);

describe("processPhoto: what a guest gets", () => {
  it("makes 1920, 1024 and 400 px wide WebP variants of a 12 MP photo, heights in proportion", async () => {
    const input = await canvas(4000, 3000).jpeg().toBuffer();
    const image = await processPhoto(input);

    expect(image).toMatchObject({ format: "jpeg", width: 4000, height: 3000 });
    expect(sizes(image)).toEqual([
      ["xl", 1920, 1440],
      ["md", 1024, 768],
      ["sm", 400, 300],
    ]);
    expect(image.variants.map((v) => v.name)).toEqual(VARIANTS.map((v) => v.name));
    for (const variant of image.variants) {
      expect(variant.bytes).toBe(variant.body.length);
      const written = await sharp(variant.body).metadata();
      expect(written).toMatchObject({
        format: "webp",
        width: variant.width,
        height: variant.height,
      });
    }
  });

  it("never upscales: a 300×200 photo gives 300×200 variants", async () => {
    const image = await processPhoto(await canvas(300, 200).png().toBuffer());

    expect(image).toMatchObject({ format: "png", width: 300, height: 200 });
    expect(sizes(image)).toEqual([
      ["xl", 300, 200],
      ["md", 300, 200],
      ["sm", 300, 200],
    ]);
  });

  it("keeps a variant between 1024 and 1920 px at its own width", async () => {
    const image = await processPhoto(await canvas(1600, 1200).jpeg().toBuffer());
    expect(sizes(image)).toEqual([
      ["xl", 1600, 1200],
      ["md", 1024, 768],
      ["sm", 400, 300],
    ]);
  });

  // Where the stored top-left corner is seen once the photo is upright.
  it.each([
    { orientation: 3, corner: "bottom-right", swapped: false },
    { orientation: 6, corner: "top-right", swapped: true },
    { orientation: 8, corner: "bottom-left", swapped: true },
  ])(
    "turns an EXIF orientation $orientation photo upright (corner ends $corner)",
    async ({ orientation, corner, swapped }) => {
      const input = await cameraJpeg(1200, 800, orientation);
      const image = await processPhoto(input);

      const [width, height] = swapped ? [800, 1200] : [1200, 800];
      expect(image).toMatchObject({ width, height });
      for (const variant of image.variants) {
        expect(variant.width / variant.height).toBeCloseTo(width / height, 2);
        const w = variant.width - 1;
        const h = variant.height - 1;
        const corners: Record<string, [number, number]> = {
          "top-left": [2, 2],
          "top-right": [w - 2, 2],
          "bottom-left": [2, h - 2],
          "bottom-right": [w - 2, h - 2],
        };
        for (const [name, [x, y]] of Object.entries(corners)) {
          const expected: Rgb = name === corner ? RED : WHITE;
          const pixel = await pixelAt(variant.body, x, y);
          expect(near(pixel, expected), `${variant.name} ${name} is ${pixel}`).toBe(true);
        }
      }
    },
  );

  it("writes no EXIF, GPS, XMP, IPTC or ICC into any variant", async () => {
    const input = await cameraJpeg(1200, 800, 6);
    const source = await sharp(input).metadata();
    expect(source.exif && hasGpsDirectory(source.exif)).toBe(true);

    const image = await processPhoto(input);
    for (const variant of image.variants) {
      const written = await sharp(variant.body).metadata();
      expect(written.exif).toBeUndefined();
      expect(written.xmp).toBeUndefined();
      expect(written.iptc).toBeUndefined();
      expect(written.icc).toBeUndefined();
      expect(written.orientation).toBeUndefined();
      expect(variant.body.includes("Test Camera")).toBe(false);
    }
  });

  it("converts a Display P3 photo to sRGB rather than dropping its profile", async () => {
    const srgb: Rgb = [200, 60, 60];
    const input = await canvas(64, 64, { background: srgb })
      .withIccProfile("p3")
      .jpeg({ quality: 100 })
      .toBuffer();
    // Read without the profile, the same bytes are another colour: the check below can fail.
    const misread = await sharp(input, { ignoreIcc: true }).raw().toBuffer();
    expect(near([...misread.subarray(0, 3)], srgb, 5)).toBe(false);

    const [variant] = (await processPhoto(input)).variants;
    expect(near(await pixelAt(variant?.body ?? Buffer.alloc(0), 32, 32), srgb, 5)).toBe(true);
  });

  it("converts a CMYK JPEG to sRGB", async () => {
    const input = await canvas(64, 64, { background: BLUE })
      .toColourspace("cmyk")
      .jpeg()
      .toBuffer();
    expect((await sharp(input).metadata()).space).toBe("cmyk");
    // Blue is outside the CMYK gamut: expect what libvips' own conversion gives, still blue.
    const converted = await sharp(input).toColourspace("srgb").raw().toBuffer();
    const expected: Rgb = [converted[0] ?? 0, converted[1] ?? 0, converted[2] ?? 0];
    expect(expected[2]).toBeGreaterThan(expected[0] + 80);

    const [variant] = (await processPhoto(input)).variants;
    const body = variant?.body ?? Buffer.alloc(0);
    expect(await sharp(body).metadata()).toMatchObject({ space: "srgb", channels: 3 });
    expect(near(await pixelAt(body, 32, 32), expected, 6)).toBe(true);
  });

  it("makes 8-bit sRGB variants of a 16-bit greyscale PNG", async () => {
    const input = await canvas(64, 64, { background: [90, 90, 90] })
      .toColourspace("grey16")
      .png()
      .toBuffer();
    expect(await sharp(input).metadata()).toMatchObject({ depth: "ushort", channels: 1 });

    const [variant] = (await processPhoto(input)).variants;
    const body = variant?.body ?? Buffer.alloc(0);
    expect(await sharp(body).metadata()).toMatchObject({ space: "srgb", depth: "uchar" });
    expect(near(await pixelAt(body, 32, 32), [90, 90, 90], 4)).toBe(true);
  });

  it("keeps the transparency of a PNG", async () => {
    const image = await processPhoto(await halfTransparentPng(800, 600, BLUE));

    for (const variant of image.variants) {
      expect((await sharp(variant.body).metadata()).hasAlpha).toBe(true);
      const left = await pixelAt(variant.body, 2, variant.height / 2);
      const right = await pixelAt(variant.body, variant.width - 3, variant.height / 2);
      expect(left[3]).toBe(0);
      expect(right[3]).toBe(255);
      expect(near(right, BLUE)).toBe(true);
    }
    expect(thumbHashToAverageRGBA(Buffer.from(image.placeholder, "base64")).a).toBeLessThan(0.9);
  });

  it("reads WebP and AVIF uploads and names the format the bytes really are", async () => {
    const source = texturedPhoto(640, 480);
    const webp = await processPhoto(await source.clone().webp().toBuffer());
    const avif = await processPhoto(await source.clone().avif({ effort: 0 }).toBuffer());

    expect(webp).toMatchObject({ format: "webp", width: 640, height: 480 });
    expect(avif).toMatchObject({ format: "avif", width: 640, height: 480 });
    expect(sizes(avif)).toEqual([
      ["xl", 640, 480],
      ["md", 640, 480],
      ["sm", 400, 300],
    ]);
  });

  it("gives a ThumbHash placeholder with the photo's colour and shape", async () => {
    const image = await processPhoto(await canvas(640, 480, { background: BLUE }).png().toBuffer());
    const hash = Buffer.from(image.placeholder, "base64");

    expect(image.placeholder).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(hash.length).toBeLessThan(40);
    // The hash stores the ratio coarsely: 4:3 comes back as 1.4.
    expect(Math.abs(thumbHashToApproximateAspectRatio(hash) - 4 / 3)).toBeLessThan(0.1);
    const average = thumbHashToAverageRGBA(hash);
    expect(average.b).toBeGreaterThan(0.9);
    expect(average.r).toBeLessThan(0.1);
  });

  it("fits a very tall image into WebP's 16383 px limit instead of failing", async () => {
    const image = await processPhoto(await canvas(100, 20000).png().toBuffer());

    expect(image).toMatchObject({ width: 100, height: 20000 });
    for (const variant of image.variants) {
      expect(variant.height).toBe(16383);
      expect(variant.width).toBe(82);
    }
  });
});

describe("processPhoto: what it refuses", () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000">
    <rect width="4000" height="3000" fill="red"/></svg>`;
  const photo = () => texturedPhoto(600, 400);

  // Built lazily: each case makes only its own input.
  const hostile: [string, () => Promise<Buffer> | Buffer, FailureReason][] = [
    [
      "a PNG header claiming 50000×50000 pixels",
      () => pngHeader(50_000, 50_000),
      "TOO_MANY_PIXELS",
    ],
    ["a JPEG over the upload limit", () => oversized(), "TOO_LARGE"],
    [
      "an HTML document",
      () => Buffer.from("<!doctype html><html><body>hi</body></html>"),
      "UNSUPPORTED_FORMAT",
    ],
    ["an SVG (sharp would render it)", () => Buffer.from(svg), "UNSUPPORTED_FORMAT"],
    [
      "an SVG with an XML prolog",
      () => Buffer.from(`<?xml version="1.0"?>\n${svg}`),
      "UNSUPPORTED_FORMAT",
    ],
    ["random bytes", () => randomBytes(50_000, 1), "UNSUPPORTED_FORMAT"],
    ["a GIF", () => canvas(60, 40).gif().toBuffer(), "UNSUPPORTED_FORMAT"],
    ["a TIFF", () => canvas(60, 40).tiff().toBuffer(), "UNSUPPORTED_FORMAT"],
    [
      "an MP4 header",
      () =>
        Buffer.concat([
          Buffer.from("\0\0\0\x18ftypisom\0\0\0\0isommp41", "latin1"),
          randomBytes(1000, 2),
        ]),
      "UNSUPPORTED_FORMAT",
    ],
    ["an empty file", () => Buffer.alloc(0), "CORRUPT"],
    ["a truncated JPEG", async () => truncated(await photo().jpeg().toBuffer(), 0.6), "CORRUPT"],
    [
      "a truncated progressive JPEG",
      async () => truncated(await photo().jpeg({ progressive: true }).toBuffer(), 0.6),
      "CORRUPT",
    ],
    ["a truncated PNG", async () => truncated(await photo().png().toBuffer(), 0.6), "CORRUPT"],
    ["a truncated WebP", async () => truncated(await photo().webp().toBuffer(), 0.6), "CORRUPT"],
    [
      "a truncated AVIF",
      async () => truncated(await photo().avif({ effort: 0 }).toBuffer(), 0.6),
      "CORRUPT",
    ],
    [
      "random bytes behind a JPEG signature",
      () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000, 3)]),
      "CORRUPT",
    ],
    [
      "a JPEG with garbage in its scan data",
      async () => scribbled(await photo().jpeg().toBuffer()),
      "CORRUPT",
    ],
  ];

  it.each(hostile)("refuses %s", async (_name, make, reason) => {
    await expectRejected(await make(), reason);
  });

  it("refuses the 12 KB 10000×10000 PNG by its decode budget, before decoding it", async () => {
    const bomb = flatOneBitPng(10_000, 10_000);
    expect(bomb.length).toBeLessThan(20_000);
    expect(withinDecodeBudget(10_000 * 10_000, bomb.length)).toBe(false);
    const started = performance.now();
    await expectRejected(bomb, "TOO_MANY_PIXELS");
    // The header only: decoding 100 MP takes seconds and hundreds of MB.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("keeps real photos inside the decode budget, however flat", () => {
    // Any photo up to 16 MP, whatever its size; a 24 MP camera JPEG of 3 MB (8 px per byte).
    expect(withinDecodeBudget(16_000_000, 1)).toBe(true);
    expect(withinDecodeBudget(24_000_000, 3_000_000)).toBe(true);
    // A 4K screenshot PNG of 100 KB is 83 px per byte: fine; the same pixels in 12 KB are not
    // (under 16 MP they still pass: cheap to decode).
    expect(withinDecodeBudget(3840 * 2160, 12_000)).toBe(true);
    expect(withinDecodeBudget(50_000_000, 400_000)).toBe(false);
  });

  it("refuses a pixel bomb from its header, without decoding it", async () => {
    const started = performance.now();
    await expectRejected(pngHeader(50_000, 50_000), "TOO_MANY_PIXELS");
    // ~1 ms measured; decoding 7.5 GB of pixels would take minutes (and the memory).
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("refuses only with PhotoRejected whatever the damage (truncated anywhere, bytes flipped)", async () => {
    const originals = await Promise.all([
      photo().jpeg().toBuffer(),
      photo().png().toBuffer(),
      photo().webp().toBuffer(),
      photo().avif({ effort: 0 }).toBuffer(),
    ]);
    for (const [n, original] of originals.entries()) {
      for (const fraction of [0.05, 0.3, 0.7, 0.95]) {
        await expectRejected(truncated(original, fraction), "CORRUPT");
      }
      for (let seed = 0; seed < 6; seed++) {
        // A flipped bit may land where the decoder cannot notice: then it makes a photo.
        const outcome = await processPhoto(flipped(original, 100 * n + seed)).catch(
          (error: unknown) => error,
        );
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(PhotoRejected);
      }
    }
  });

  it("still processes a good photo after every kind of bad file", async () => {
    const inputs = await Promise.all(hostile.map(([, make]) => make()));
    const outcomes = await Promise.allSettled(inputs.map((input) => processPhoto(input)));
    const verdicts = outcomes.map((o) => (o.status === "rejected" ? o.reason.name : "accepted"));
    expect(verdicts).toEqual(hostile.map(() => "PhotoRejected"));

    const image = await processPhoto(await photo().jpeg().toBuffer());
    expect(sizes(image)).toEqual([
      ["xl", 600, 400],
      ["md", 600, 400],
      ["sm", 400, 267],
    ]);
  });

  it("lets an error that is not the file's fault through: a caller passing a key, not bytes", async () => {
    const key = "uploads/photo.jpg" as unknown as Buffer; // what a type-unsafe caller could pass
    const error = await processPhoto(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(PhotoRejected);
  });
});

/** A JPEG signature and then zeros: the size alone must refuse it, before any parsing. */
const oversized = () =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(MAX_UPLOAD_BYTES)]);

const truncated = (bytes: Buffer, fraction: number) =>
  bytes.subarray(0, Math.floor(bytes.length * fraction));

/** `bytes` with one bit flipped in each of a few places past the first 64 bytes. */
function flipped(bytes: Buffer, seed: number): Buffer {
  const copy = Buffer.from(bytes);
  const picks = randomBytes(16, seed);
  for (let i = 0; i < 4; i++) {
    const position = 64 + (picks.readUInt16LE(i * 2) % (copy.length - 64));
    copy[position] = (copy[position] ?? 0) ^ (1 << ((picks[8 + i] ?? 0) % 8));
  }
  return copy;
}

/**
 * A JPEG with 200 random bytes over the middle of its entropy-coded data. JPEG has no
 * checksum, so some garbage decodes silently into a damaged photo (the "whatever the damage"
 * test allows for that); this garbage makes libjpeg complain, and sharp's default failOn
 * turns the complaint into an error.
 */
function scribbled(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  randomBytes(200, 1).copy(copy, Math.floor(copy.length / 2));
  return copy;
}
