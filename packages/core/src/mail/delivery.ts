import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { ConfigError } from "../config.js";
import { isConditionalCheckFailure } from "../dynamo.js";
import { hostEntity } from "../host/entity.js";
import { listingEntity } from "../listing/entity.js";
import { runtime } from "../runtime.js";
import { CLAIM_SECONDS, type OutboxItem, outboxEntity } from "./outbox.js";
import { isSuppressed } from "./suppression.js";
import { listingApproved, listingRejected, photoFailed, type RenderedMail } from "./templates.js";

/**
 * Sends one outbox item, once. The stream delivers at least once (a failed batch is retried,
 * a record can arrive twice), so the item itself says whether it was sent:
 *
 * 1. a consistent read: SENT or SKIPPED means done, whatever the record says;
 * 2. a conditional claim (PENDING, or SENDING whose claim ran out) with a lease as long as
 *    the delivery function may run, so a second delivery at the same time sends nothing;
 * 3. SES SendEmail through the stage's configuration set;
 * 4. SENT with SES's message id; on an SES error the claim is released (PENDING, the error
 *    recorded) and the error thrown, so the stream retries the record and a later attempt
 *    sends it: a decision is never lost because SES was down.
 *
 * Only a crash between SES's answer and step 4 (the function killed in that moment) can send
 * a mail twice; SES has no idempotency key to close that gap.
 */
export type DeliveryOutcome =
  | { result: "SENT"; outboxId: string; messageId: string }
  | { result: "SKIPPED"; outboxId: string; because: string }
  | { result: "DONE_ALREADY"; outboxId: string; status: string }
  | { result: "MISSING"; outboxId: string };

/** A claim another delivery holds right now: the record is retried once it ran out. */
export class ClaimHeld extends Error {
  override name = "ClaimHeld";
}

/** The SES v2 client of the runtime in effect; off AWS it talks to the local SES emulator. */
export function sesClient(): SESv2Client {
  return runtime().memo(
    SESv2Client,
    (rt) => new SESv2Client({ ...rt.clientSettings(rt.config.SES_ENDPOINT), maxAttempts: 2 }),
  );
}

function mailSettings() {
  const { MAIL_FROM, MAIL_CONFIGURATION_SET } = runtime().config;
  if (!MAIL_FROM) throw new ConfigError("MAIL_FROM is not set: this function sends no mail");
  return { from: MAIL_FROM, configurationSet: MAIL_CONFIGURATION_SET };
}

const now = () => new Date();

export async function deliver(outboxId: string): Promise<DeliveryOutcome> {
  const { data: item } = await outboxEntity().get({ outboxId }).go({ consistent: true });
  if (!item) return { result: "MISSING", outboxId };
  if (item.status === "SENT" || item.status === "SKIPPED") {
    return { result: "DONE_ALREADY", outboxId, status: item.status };
  }
  const claimed = await claim(item);

  const recipient = await recipientOf(claimed);
  if ("skip" in recipient) {
    await finish(claimed, { status: "SKIPPED", skippedBecause: recipient.skip });
    return { result: "SKIPPED", outboxId, because: recipient.skip };
  }
  const mail = render(claimed, recipient.name, recipient.listingName);
  const { from, configurationSet } = mailSettings();
  let messageId: string;
  try {
    const sent = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [recipient.address] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: "UTF-8" },
            Body: {
              Html: { Data: mail.html, Charset: "UTF-8" },
              Text: { Data: mail.text, Charset: "UTF-8" },
            },
          },
        },
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        EmailTags: [{ Name: "kind", Value: claimed.kind }],
      }),
    );
    messageId = sent.MessageId ?? "";
  } catch (error) {
    await release(claimed, error);
    throw error;
  }
  await finish(claimed, { status: "SENT", sentAt: now().toISOString(), messageId });
  return { result: "SENT", outboxId, messageId };
}

async function claim(item: OutboxItem): Promise<OutboxItem> {
  const at = now();
  const until = new Date(at.getTime() + CLAIM_SECONDS * 1000).toISOString();
  try {
    const { data } = await outboxEntity()
      .patch({ outboxId: item.outboxId })
      .set({ status: "SENDING", claimedUntil: until, updatedAt: at.toISOString() })
      .add({ attempts: 1 })
      .where(
        ({ status, claimedUntil }, { eq, lt }) =>
          `${eq(status, "PENDING")} OR (${eq(status, "SENDING")} AND ${lt(claimedUntil, at.toISOString())})`,
      )
      .go({ response: "all_new" });
    return data as OutboxItem;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    throw new ClaimHeld(`Outbox item ${item.outboxId} is being delivered or was delivered already`);
  }
}

async function finish(
  item: OutboxItem,
  set:
    | { status: "SENT"; sentAt: string; messageId: string }
    | { status: "SKIPPED"; skippedBecause: string },
): Promise<void> {
  await outboxEntity()
    .patch({ outboxId: item.outboxId })
    .set({ ...set, updatedAt: now().toISOString() })
    .remove(["claimedUntil"])
    .go();
}

async function release(item: OutboxItem, error: unknown): Promise<void> {
  await outboxEntity()
    .patch({ outboxId: item.outboxId })
    .set({
      status: "PENDING",
      lastError: String((error as Error)?.message ?? error).slice(0, 500),
      updatedAt: now().toISOString(),
    })
    .remove(["claimedUntil"])
    .where(({ status }, { eq }) => eq(status, "SENDING"))
    .go();
}

type Recipient = { address: string; name: string; listingName: string } | { skip: string };

async function recipientOf(item: OutboxItem): Promise<Recipient> {
  const { data: host } = await hostEntity().get({ hostId: item.hostId }).go();
  if (!host) return { skip: "the host no longer exists" };
  if (host.reviewEmails === false) return { skip: "the host turned review e-mails off" };
  if (await isSuppressed(host.email)) return { skip: "the address bounced or complained" };
  let listingName = item.listingName;
  if (listingName === undefined) {
    const { data: listing } = await listingEntity().get({ listingId: item.listingId }).go();
    listingName = listing?.listingName ?? "";
  }
  return { address: host.email, name: host.displayName, listingName };
}

export function render(item: OutboxItem, hostName: string, listingName: string): RenderedMail {
  const ctx = { hostName, listingName };
  switch (item.kind) {
    case "LISTING_APPROVED":
      return listingApproved(ctx);
    case "LISTING_REJECTED":
      return listingRejected({ ...ctx, reason: item.reason ?? "" });
    case "PHOTO_FAILED":
      return photoFailed({ ...ctx, reason: item.photoFailure ?? "CORRUPT" });
  }
}
