import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Host, Listing, Photos } from "../src/index.js";
import { exampleListing } from "../src/listing/example.js";
import { ClaimHeld, deliver } from "../src/mail/delivery.js";
import { type OutboxItem, outboxEntity } from "../src/mail/outbox.js";
import { isSuppressed, suppress, suppressionsOf } from "../src/mail/suppression.js";
import { processUpload } from "../src/photo/processing.js";
import { Runtime, runtime } from "../src/runtime.js";
import { postUpload } from "../src/seed/photos.js";
import { uploadKey } from "../src/storage.js";
import { admin, createComplete, newHost } from "./listing-fixtures.js";

const ses = mockClient(SESv2Client);
const FROM = "Localstays <no-reply@test.localstays.dev>";
/** This file's table and clients, plus the mail settings the delivery function gets. */
const mailRuntime = new Runtime({
  ...runtime().config,
  MAIL_FROM: FROM,
  MAIL_CONFIGURATION_SET: "localstays-test",
});
const send = (outboxId: string) => mailRuntime.run(() => deliver(outboxId));

beforeEach(() => ses.reset());
afterEach(() => ses.reset());

async function outboxOf(listingId: string): Promise<OutboxItem[]> {
  const { data } = await outboxEntity()
    .scan.where(({ listingId: id }, { eq }) => eq(id, listingId))
    .go({ pages: "all" });
  return data;
}

async function approvedListing() {
  const { actor, hostId, host } = await newHost();
  const listing = await createComplete(actor, hostId);
  await Listing.submit(actor, hostId, listing.listingId);
  await Listing.approve(admin, listing.listingId);
  const [item] = await outboxOf(listing.listingId);
  if (!item) throw new Error("no outbox item");
  return { actor, hostId, host, listing, item };
}

describe("the outbox", () => {
  it("writes the notification with the decision, and none for a decision that failed", async () => {
    const { actor, hostId } = await newHost();
    const listing = await createComplete(actor, hostId, "Loft <b>by</b> the river");
    await expect(Listing.approve(admin, listing.listingId)).rejects.toThrow();
    expect(await outboxOf(listing.listingId)).toEqual([]);

    await Listing.submit(actor, hostId, listing.listingId);
    await Listing.reject(admin, listing.listingId, { reason: "Too dark <script>" });
    const [rejected] = await outboxOf(listing.listingId);
    expect(rejected).toMatchObject({
      kind: "LISTING_REJECTED",
      hostId,
      listingName: listing.listingName,
      reason: "Too dark <script>",
      status: "PENDING",
      attempts: 0,
    });
  });

  it("writes a PHOTO_FAILED notification with the photo's FAILED status, once", async () => {
    const { actor, hostId } = await newHost();
    const { listingId } = await Listing.create(actor, hostId, exampleListing());
    const garbage = Buffer.from("this is not a photo at all");
    const { image, upload } = await Photos.requestUpload(actor, hostId, listingId, {
      contentType: "image/jpeg",
      contentLength: garbage.byteLength,
    });
    await postUpload(upload, garbage, "image/jpeg");
    const key = uploadKey({ hostId, listingId, imageId: image.imageId });
    expect(await processUpload(key)).toMatchObject({ result: "FAILED" });
    // S3 and SQS deliver at least once: the second run changes nothing and mails nothing.
    expect(await processUpload(key)).toMatchObject({ result: "SKIPPED" });
    const items = await outboxOf(listingId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: "PHOTO_FAILED",
      hostId,
      photoId: image.imageId,
      status: "PENDING",
    });
    expect(["UNSUPPORTED_FORMAT", "CORRUPT"]).toContain(items[0]?.photoFailure);
  });

  it("sends an approval once through SES with the configuration set, HTML and text", async () => {
    const { item, host, listing } = await approvedListing();
    ses.on(SendEmailCommand).resolves({ MessageId: "ses-1" });
    expect(await send(item.outboxId)).toEqual({
      result: "SENT",
      outboxId: item.outboxId,
      messageId: "ses-1",
    });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe(FROM);
    expect(input?.ConfigurationSetName).toBe("localstays-test");
    expect(input?.Destination?.ToAddresses).toEqual([host.email]);
    expect(input?.Content?.Simple?.Subject?.Data).toBe(`Approved: ${listing.listingName}`);
    expect(input?.Content?.Simple?.Body?.Html?.Data).toContain("<!doctype html>");
    expect(input?.Content?.Simple?.Body?.Text?.Data).toContain("was approved");
    const [stored] = await outboxOf(listing.listingId);
    expect(stored).toMatchObject({ status: "SENT", messageId: "ses-1", attempts: 1 });
  });

  it("keeps a decision while SES fails and delivers it once SES answers", async () => {
    const { item, listing } = await approvedListing();
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error("Service unavailable"), { name: "ServiceUnavailable" }))
      .resolves({ MessageId: "ses-2" });
    await expect(send(item.outboxId)).rejects.toThrow("Service unavailable");
    const [failed] = await outboxOf(listing.listingId);
    expect(failed).toMatchObject({ status: "PENDING", lastError: "Service unavailable" });

    expect((await send(item.outboxId)).result).toBe("SENT");
    // The stream hands the record over again (a retried batch): nothing is sent twice.
    expect(await send(item.outboxId)).toMatchObject({ result: "DONE_ALREADY", status: "SENT" });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    const [sent] = await outboxOf(listing.listingId);
    expect(sent).toMatchObject({ status: "SENT", messageId: "ses-2", attempts: 2 });
  });

  it("sends one mail when the same record is delivered twice at the same time", async () => {
    const { item } = await approvedListing();
    ses.on(SendEmailCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { MessageId: "ses-3" };
    });
    const results = await Promise.allSettled([send(item.outboxId), send(item.outboxId)]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const outcomes = results.map((r) => (r.status === "fulfilled" ? r.value.result : r.reason));
    expect(outcomes).toContain("SENT");
    // The loser either found it claimed (retried later by the stream) or already sent.
    for (const outcome of outcomes) {
      if (outcome !== "SENT") {
        expect(outcome === "DONE_ALREADY" || outcome instanceof ClaimHeld).toBe(true);
      }
    }
  });

  it("mails no address that bounced or complained", async () => {
    const { item, host } = await approvedListing();
    ses.on(SendEmailCommand).resolves({ MessageId: "never" });
    await suppress(host.email.toUpperCase(), "BOUNCE", "feedback-1");
    expect(await isSuppressed(host.email)).toBe(true);
    expect(await send(item.outboxId)).toMatchObject({ result: "SKIPPED" });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(await send(item.outboxId)).toMatchObject({ result: "DONE_ALREADY", status: "SKIPPED" });
  });

  it("mails no host who turned review mails off", async () => {
    const { item, actor, hostId } = await approvedListing();
    ses.on(SendEmailCommand).resolves({ MessageId: "never" });
    const updated = await Host.update(actor, hostId, { reviewEmails: false });
    expect(updated.reviewEmails).toBe(false);
    expect(await send(item.outboxId)).toMatchObject({
      result: "SKIPPED",
      because: "the host turned review e-mails off",
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it("suppresses the recipients of permanent bounces and complaints only", () => {
    expect(
      suppressionsOf({
        eventType: "Bounce",
        bounce: {
          bounceType: "Permanent",
          feedbackId: "f1",
          bouncedRecipients: [{ emailAddress: " Ana@Example.com " }],
        },
      }),
    ).toEqual([{ address: "ana@example.com", reason: "BOUNCE", feedbackId: "f1" }]);
    expect(
      suppressionsOf({
        eventType: "Bounce",
        bounce: { bounceType: "Transient", bouncedRecipients: [{ emailAddress: "a@example.com" }] },
      }),
    ).toEqual([]);
    expect(
      suppressionsOf({
        eventType: "Complaint",
        complaint: { complainedRecipients: [{ emailAddress: "b@example.com" }] },
      }),
    ).toEqual([{ address: "b@example.com", reason: "COMPLAINT" }]);
    expect(suppressionsOf({ eventType: "Delivery" })).toEqual([]);
  });
});
