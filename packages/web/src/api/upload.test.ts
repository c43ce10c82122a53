import { describe, expect, it } from "vitest";
import { storageErrorMessage, uploadForm, uploadRequestFor } from "./upload.js";

describe("uploadForm", () => {
  it("puts every policy field first and the file last", () => {
    const file = new Blob(["jpeg"], { type: "image/jpeg" });
    const form = uploadForm(
      { key: "uploads/h/l/i", "Content-Type": "image/jpeg", Policy: "p" },
      file,
    );
    expect([...form.keys()]).toEqual(["key", "Content-Type", "Policy", "file"]);
    expect(form.get("key")).toBe("uploads/h/l/i");
    expect(form.get("file")).toBeInstanceOf(Blob);
  });
});

describe("uploadRequestFor", () => {
  it("asks for the file's type and exact size", () => {
    const file = new Blob([new Uint8Array(1234)], { type: "image/png" });
    expect(uploadRequestFor(file, " ")).toEqual({
      ok: true,
      request: { contentType: "image/png", contentLength: 1234 },
    });
    expect(uploadRequestFor(file, "Lake view")).toMatchObject({
      request: { caption: "Lake view" },
    });
  });

  it("refuses a HEIC photo before uploading, saying what to do", () => {
    const heic = new Blob(["x"], { type: "image/heic" });
    const result = uploadRequestFor(heic, "");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^This photo cannot be uploaded: Photo type .*export the photo as JPEG/,
    );
  });

  it("refuses an empty file", () => {
    expect(uploadRequestFor(new Blob([], { type: "image/jpeg" }), "").ok).toBe(false);
  });
});

describe("storageErrorMessage", () => {
  it("reads S3's XML error message", () => {
    expect(
      storageErrorMessage(
        403,
        "<Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>",
      ),
    ).toBe("The photo storage refused the upload (Policy expired).");
    expect(storageErrorMessage(500, "")).toBe("The photo storage refused the upload (status 500).");
  });
});
