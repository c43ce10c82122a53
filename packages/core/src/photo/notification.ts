import * as z from "zod";

/**
 * The object keys in an S3 event notification, as an SQS message body carries it. S3
 * URL-encodes keys in events (a space arrives as "+"), so they are decoded here. The test
 * event S3 sends when a notification is configured, and any record that is not an object
 * creation, yields no key.
 */
const Notification = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({ object: z.object({ key: z.string() }) }),
      }),
    )
    .optional(),
});

export class MalformedNotification extends Error {
  override name = "MalformedNotification";
}

export function createdKeys(body: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedNotification("The message body is not JSON");
  }
  const parsed = Notification.safeParse(json);
  if (!parsed.success) throw new MalformedNotification("The message is not an S3 notification");
  return (parsed.data.Records ?? [])
    .filter((record) => record.eventName.startsWith("ObjectCreated:"))
    .map((record) => decodeURIComponent(record.s3.object.key.replace(/\+/g, " ")));
}
