import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { Host, Listing } from "@localstays/core";
import { exampleListing } from "@localstays/core/listing/example";
import { outboxEntity } from "@localstays/core/mail/outbox";
import { Runtime, runtime } from "@localstays/core/runtime";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { handler, outboxIdOf } from "../src/mail/outbox.js";

const context = { functionName: "outbox-delivery", awsRequestId: "test" } as Context;
const ses = mockClient(SESv2Client);
const mailRuntime = new Runtime({ ...runtime().config, MAIL_FROM: "no-reply@test.localstays.dev" });
const invoke = (event: DynamoDBStreamEvent) => mailRuntime.run(() => handler(event, context));

beforeEach(() => ses.reset());

/** A stream record as Lambda hands it over: the new item's image in DynamoDB JSON. */
function inserted(image: Record<string, unknown>, sequence: string): DynamoDBRecord {
  return {
    eventID: `event-${sequence}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    awsRegion: "eu-north-1",
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: Object.fromEntries(
        Object.entries(image).map(([k, v]) => [
          k,
          typeof v === "number" ? { N: String(v) } : { S: String(v) },
        ]),
      ),
      StreamViewType: "NEW_IMAGE",
    },
  } as DynamoDBRecord;
}

async function rejectedListingRecord(sequence: string) {
  const sub = crypto.randomUUID();
  const host = await Host.register({ cognitoSub: sub, email: `${sub}@example.com` });
  const actor = { sub, groups: ["hosts"], hostId: host.hostId };
  const { listingId } = await Listing.create(actor, host.hostId, exampleListing());
  // An admin's rejection needs a submitted listing; writing the item the way core does keeps
  // this test about the handler.
  const { data } = await outboxEntity()
    .create({
      outboxId: `outbox_${sequence.padStart(26, "0")}`,
      kind: "LISTING_REJECTED",
      hostId: host.hostId,
      listingId,
      listingName: "Loft",
      reason: "Too dark",
      status: "PENDING",
      attempts: 0,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    })
    .go();
  const { Item } = outboxEntity().put(data).params() as { Item: Record<string, unknown> };
  return { record: inserted(Item, sequence), outboxId: data.outboxId };
}

describe("the outbox delivery handler", () => {
  it("sends nothing twice when the stream hands over a record again", async () => {
    const { record } = await rejectedListingRecord("1");
    ses.on(SendEmailCommand).resolves({ MessageId: "m-1" });
    expect(await invoke({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(await invoke({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it("reports only the record SES refused, and sends it when the stream retries", async () => {
    const first = await rejectedListingRecord("2");
    const second = await rejectedListingRecord("3");
    ses
      .on(SendEmailCommand)
      .resolvesOnce({ MessageId: "m-2" })
      .rejectsOnce(new Error("Throttling"))
      .resolves({ MessageId: "m-3" });
    const event = { Records: [first.record, second.record] };
    expect(await invoke(event)).toEqual({
      batchItemFailures: [{ itemIdentifier: "3" }],
    });
    expect(await invoke(event)).toEqual({ batchItemFailures: [] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
    const { data } = await outboxEntity().get({ outboxId: second.outboxId }).go();
    expect(data?.status).toBe("SENT");
  });

  it("ignores records that are not new outbox items", () => {
    const listing = inserted({ __edb_e__: "listing", listingId: "x" }, "9");
    expect(outboxIdOf(listing)).toBeUndefined();
    expect(
      outboxIdOf({ ...inserted({ __edb_e__: "outbox", outboxId: "o" }, "8"), eventName: "MODIFY" }),
    ).toBeUndefined();
    expect(outboxIdOf(inserted({ __edb_e__: "outbox", outboxId: "o" }, "7"))).toBe("o");
  });
});
