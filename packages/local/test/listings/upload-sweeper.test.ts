import { UPLOAD_EXPIRY_SECONDS, UPLOAD_SWEEP_MARGIN_SECONDS } from "@localstays/core/photo/schema";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Api, completeListing, paths, type User } from "./client.js";

/**
 * The local stack runs the expired-upload sweeper on its schedule, as the scheduled function
 * runs in AWS: an upload requested and never sent ends FAILED (EXPIRED). The clock is moved
 * (Date only) past the sweeper's deadline for the one run, instead of waiting 15 minutes.
 */
let api: Api;
let host: User;

beforeAll(async () => {
  api = await Api.start();
  host = await api.host("forgetful");
});
afterAll(() => api?.stop());

describe("the local upload sweeper", () => {
  it("expires an upload that never came, through the real handler", async () => {
    const listing = await api.create(host, completeListing("Sweep Harbour"));
    const ticket = await api.ok<{ image: { imageId: string } }>(
      201,
      "POST",
      paths.images(host.hostId, listing.listingId),
      { token: host.token, json: { contentType: "image/jpeg", contentLength: 1000 } },
    );
    const overdue = (UPLOAD_EXPIRY_SECONDS + UPLOAD_SWEEP_MARGIN_SECONDS + 60) * 1000;
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + overdue });
    let result: unknown;
    try {
      result = await api.stack.sweeper.runOnce();
    } finally {
      vi.useRealTimers();
    }
    expect(result).toEqual({ expired: 1, waiting: 0 });
    const [photo] = await api.photos(host, listing.listingId);
    expect(photo).toMatchObject({
      imageId: ticket.image.imageId,
      status: "FAILED",
      failureReason: "EXPIRED",
    });
  });
});
