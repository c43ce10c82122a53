import type { FailureReason } from "../photo/formats.js";

/**
 * Every e-mail Localstays sends, in one module: the Cognito messages (sign-up, resent code,
 * forgotten password; the CustomMessage trigger hands Cognito one HTML body) and the host
 * notifications (HTML and text, sent through SES by the outbox delivery). Pure functions:
 * no configuration, no I/O, rendered as they are in tests.
 *
 * Everything a user typed (names, listing names, an admin's reason) is escaped for HTML;
 * the text part carries it verbatim (a text/plain body has no markup to break).
 */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const BRAND = "Localstays";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A subject is one line: a name with a line break must not add header lines. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Paragraphs of escaped text; blank lines in what a user typed start a new paragraph. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p style="margin:0 0 16px">${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** The branded frame every HTML mail shares; `body` is HTML the caller escaped. */
function layout(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f1ec;font-family:Helvetica,Arial,sans-serif;color:#1f2933">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">',
    `<tr><td style="padding:20px 28px;background:#0f766e;border-radius:8px 8px 0 0;color:#ffffff;font-size:20px;font-weight:bold">${BRAND}</td></tr>`,
    `<tr><td style="padding:28px;font-size:16px;line-height:1.5">${body}</td></tr>`,
    `<tr><td style="padding:16px 28px;font-size:12px;color:#6b7280">You receive this e-mail because you have a ${BRAND} host account.</td></tr>`,
    "</table></td></tr></table></body></html>",
  ].join("\n");
}

function textLayout(lines: string[]): string {
  return `${lines.join("\n")}\n\n-- \n${BRAND}\n`;
}

const greeting = (name: string) => `Hello ${name},`;

// ---- Cognito's messages --------------------------------------------------------------------

/** The CustomMessage trigger sources we write our own message for. */
export const CODE_MESSAGES = ["SignUp", "ResendCode", "ForgotPassword"] as const;
export type CodeMessage = (typeof CODE_MESSAGES)[number];

/**
 * A message carrying a confirmation code. `code` is what Cognito gives the trigger
 * (`{####}`), which Cognito replaces with the real code after the trigger returned; it
 * appears exactly once (cognito-local replaces only the first). Cognito sends one body, so
 * this is HTML only.
 */
export function codeMessage(kind: CodeMessage, code: string): { subject: string; html: string } {
  const copy = {
    SignUp: {
      subject: `Confirm your ${BRAND} account`,
      intro: `Welcome to ${BRAND}! Enter this code to confirm your e-mail address and finish signing up:`,
    },
    ResendCode: {
      subject: `Your ${BRAND} confirmation code`,
      intro: "Here is a new code to confirm your e-mail address:",
    },
    ForgotPassword: {
      subject: `Reset your ${BRAND} password`,
      intro:
        "Someone asked to reset the password of your account. Enter this code to choose a new one:",
    },
  }[kind];
  const body = [
    `<p style="margin:0 0 16px">${escapeHtml(copy.intro)}</p>`,
    `<p style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(code)}</p>`,
    `<p style="margin:0 0 16px">If you did not ask for this, ignore this e-mail.</p>`,
  ].join("\n");
  return { subject: copy.subject, html: layout(copy.subject, body) };
}

// ---- Host notifications --------------------------------------------------------------------

/** A photo's failure reason in words a host can act on. */
export const PHOTO_FAILURE_WORDS: Record<FailureReason, string> = {
  UNSUPPORTED_FORMAT:
    "The file is not a photo we can read. Upload a JPEG, PNG, WebP or AVIF image.",
  TOO_LARGE: "The file is larger than 15 MB. Upload a smaller version of the photo.",
  TOO_MANY_PIXELS: "The photo has more than 100 megapixels. Upload a version with fewer pixels.",
  CORRUPT: "The file is damaged and could not be read. Export the photo again and upload it.",
  EXPIRED: "The upload never arrived before its link expired. Add the photo again.",
};

export interface NotificationContext {
  /** The host's display name. */
  hostName: string;
  listingName: string;
}

function named(listingName: string): string {
  return listingName.trim() || "Your listing";
}

export function listingApproved(ctx: NotificationContext): RenderedMail {
  const listing = named(ctx.listingName);
  const subject = oneLine(`Approved: ${listing}`);
  const sentences = [
    `Good news: your listing "${listing}" was approved.`,
    "You can publish it from your dashboard whenever you are ready, and guests will find it.",
  ] as const;
  return {
    subject,
    html: layout(
      subject,
      `${paragraphs(greeting(ctx.hostName))}${paragraphs(sentences.join("\n\n"))}`,
    ),
    text: textLayout([greeting(ctx.hostName), "", sentences[0], "", sentences[1]]),
  };
}

export function listingRejected(ctx: NotificationContext & { reason: string }): RenderedMail {
  const listing = named(ctx.listingName);
  const subject = oneLine(`Changes needed: ${listing}`);
  const intro = `Your listing "${listing}" was not approved. The reviewer wrote:`;
  const after =
    "Edit the listing in your dashboard and submit it again; we will review it once more.";
  return {
    subject,
    html: layout(
      subject,
      [
        paragraphs(greeting(ctx.hostName)),
        paragraphs(intro),
        `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #0f766e;background:#f4f1ec">${paragraphs(ctx.reason)}</blockquote>`,
        paragraphs(after),
      ].join(""),
    ),
    text: textLayout([greeting(ctx.hostName), "", intro, "", ctx.reason, "", after]),
  };
}

export function photoFailed(ctx: NotificationContext & { reason: FailureReason }): RenderedMail {
  const listing = named(ctx.listingName);
  const subject = oneLine(`A photo of ${listing} could not be used`);
  const intro = `A photo you uploaded to "${listing}" could not be processed.`;
  const words = PHOTO_FAILURE_WORDS[ctx.reason];
  const after = "The other photos of the listing are not affected.";
  return {
    subject,
    html: layout(
      subject,
      [greeting(ctx.hostName), intro, words, after].map((p) => paragraphs(p)).join(""),
    ),
    text: textLayout([greeting(ctx.hostName), "", intro, "", words, "", after]),
  };
}
