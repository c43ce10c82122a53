import type { PhotoInfo } from "@localstays/core/photo/schema";
import { describe, expect, it } from "vitest";
import { awaitsProcessing, photoStatusText, srcSetOf, variantUrl } from "./status.js";

const now = Date.parse("2026-01-01T12:00:00.000Z");
const image = (overrides: Partial<PhotoInfo>): PhotoInfo => ({
  imageId: "image_01J0000000000000000000000A",
  listingId: "listing_01J0000000000000000000000A",
  status: "PENDING_UPLOAD",
  position: 0,
  cover: true,
  contentType: "image/jpeg",
  contentLength: 1000,
  createdAt: "2026-01-01T11:59:00.000Z",
  uploadExpiresAt: "2026-01-01T12:04:00.000Z",
  ...overrides,
});
const variants = [
  { name: "xl" as const, width: 1920, height: 1280, bytes: 3, url: "https://cdn/xl.webp" },
  { name: "md" as const, width: 1024, height: 683, bytes: 2, url: "https://cdn/md.webp" },
  { name: "sm" as const, width: 400, height: 267, bytes: 1, url: "https://cdn/sm.webp" },
];

describe("photoStatusText", () => {
  it("says a fresh upload is being processed and a processed one is ready", () => {
    expect(photoStatusText(image({}), now)).toBe("Processing…");
    expect(photoStatusText(image({ status: "READY" }), now)).toBe("Ready");
  });

  it("explains why the processor refused a file", () => {
    expect(photoStatusText(image({ status: "FAILED", failureReason: "TOO_LARGE" }), now)).toBe(
      "Could not be used: the file is larger than 15 MB.",
    );
    expect(
      photoStatusText(image({ status: "FAILED", failureReason: "UNSUPPORTED_FORMAT" }), now),
    ).toBe("Could not be used: the file is not a JPEG, PNG, WebP or AVIF image.");
  });

  it("tells the host to retry an upload that expired unfinished", () => {
    const expired = image({ uploadExpiresAt: "2026-01-01T11:00:00.000Z" });
    expect(photoStatusText(expired, now)).toMatch(/did not finish/);
  });
});

describe("awaitsProcessing", () => {
  it("polls while an upload may still turn READY or FAILED, not for expired ones", () => {
    expect(awaitsProcessing([image({ status: "READY" }), image({})], now)).toBe(true);
    expect(awaitsProcessing([image({ uploadExpiresAt: "2026-01-01T11:00:00.000Z" })], now)).toBe(
      false,
    );
    expect(awaitsProcessing([image({ status: "FAILED" })], now)).toBe(false);
  });
});

describe("variants", () => {
  it("lists every variant for srcset", () => {
    expect(srcSetOf({ variants })).toBe(
      "https://cdn/xl.webp 1920w, https://cdn/md.webp 1024w, https://cdn/sm.webp 400w",
    );
  });

  it("picks the smallest variant wide enough, else the widest", () => {
    expect(variantUrl({ variants }, 300)).toBe("https://cdn/sm.webp");
    expect(variantUrl({ variants }, 800)).toBe("https://cdn/md.webp");
    expect(variantUrl({ variants }, 4000)).toBe("https://cdn/xl.webp");
    expect(variantUrl({ variants: [] }, 400)).toBeUndefined();
  });
});
