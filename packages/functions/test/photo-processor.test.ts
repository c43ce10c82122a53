import { Host, Listing, Photos } from "@localstays/core";
import { exampleListing } from "@localstays/core/listing/example";
import { demoPhoto, postUpload } from "@localstays/core/seed/photos";
import { uploadKey } from "@localstays/core/storage";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { handler } from "../src/images/processor.js";

const context = { functionName: "image-processor", awsRequestId: "test" } as Context;

function message(id: string, body: unknown): SQSRecord {
  return {
    messageId: id,
    receiptHandle: id,
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {} as SQSRecord["attributes"],
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-north-1:123456789012:uploads",
    awsRegion: "eu-north-1",
  };
}

/** An S3 notification as S3 writes it: the key URL-encoded. */
const created = (key: string) => ({
  Records: [
    {
      eventName: "ObjectCreated:Post",
      s3: { bucket: { name: "b" }, object: { key: encodeURIComponent(key).replace(/%2F/g, "/") } },
    },
  ],
});

async function pendingUpload(withFile: boolean) {
  const sub = crypto.randomUUID();
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor = { sub, groups: ["hosts"], hostId: host.hostId };
  const { listingId } = await Listing.create(actor, host.hostId, exampleListing());
  const photo = await demoPhoto(2, 200);
  const { image, upload } = await Photos.requestUpload(actor, host.hostId, listingId, {
    contentType: "image/jpeg",
    contentLength: photo.byteLength,
  });
  if (withFile) await postUpload(upload, photo, "image/jpeg");
  return {
    actor,
    hostId: host.hostId,
    listingId,
    imageId: image.imageId,
    key: uploadKey({ hostId: host.hostId, listingId, imageId: image.imageId }),
  };
}

describe("the photo processor handler", () => {
  it("processes a batch and reports only the message that may succeed on a retry", async () => {
    const good = await pendingUpload(true);
    const missing = await pendingUpload(false); // the object is not there (yet): retry
    const event: SQSEvent = {
      Records: [
        message("good", created(good.key)),
        message("test-event", { Service: "Amazon S3", Event: "s3:TestEvent" }),
        message("not-json", "{oops"),
        message("missing", created(missing.key)),
      ],
    };
    const response = await handler(event, context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "missing" }]);
    const [image] = await Photos.list(good.actor, good.hostId, good.listingId);
    expect(image?.status).toBe("READY");
    const [stillPending] = await Photos.list(missing.actor, missing.hostId, missing.listingId);
    expect(stillPending?.status).toBe("PENDING_UPLOAD");
  });

  it("treats a redelivered message as done", async () => {
    const upload = await pendingUpload(true);
    const event: SQSEvent = { Records: [message("m1", created(upload.key))] };
    expect((await handler(event, context)).batchItemFailures).toEqual([]);
    expect((await handler(event, context)).batchItemFailures).toEqual([]);
    const images = await Photos.list(upload.actor, upload.hostId, upload.listingId);
    expect(images.map((i) => i.status)).toEqual(["READY"]);
  });
});
