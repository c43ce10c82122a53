import { describe, expect, it } from "vitest";
import {
  CODE_MESSAGES,
  codeMessage,
  escapeHtml,
  listingApproved,
  listingRejected,
  PHOTO_FAILURE_WORDS,
  photoFailed,
} from "../src/mail/templates.js";
import { FAILURE_REASONS } from "../src/photo/formats.js";

const evil = `<script>alert("x")</script> & 'Bob'`;

/** What a mail client shows of an HTML body: its text, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<title>[\s\S]*?<\/title>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("mail templates", () => {
  it("escapes every character that could open markup or leave an attribute", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("renders every Cognito code message with Cognito's code placeholder exactly once", () => {
    for (const kind of CODE_MESSAGES) {
      const { subject, html } = codeMessage(kind, "{####}");
      expect(subject).toMatch(/Localstays/);
      expect(html.split("{####}")).toHaveLength(2);
      expect(html).toMatch(/^<!doctype html>/);
      expect(visibleText(html)).toContain("{####}");
    }
    expect(codeMessage("ForgotPassword", "{####}").subject).toMatch(/password/i);
    expect(codeMessage("SignUp", "{####}").subject).toMatch(/confirm/i);
  });

  it("tells a host its listing was approved, in HTML and in text", () => {
    const mail = listingApproved({ hostName: "Ana", listingName: "Loft by the river" });
    expect(mail.subject).toBe("Approved: Loft by the river");
    for (const body of [mail.text, visibleText(mail.html)]) {
      expect(body).toContain("Hello Ana,");
      expect(body).toContain('your listing "Loft by the river" was approved');
      expect(body).toContain("publish it");
    }
  });

  it("tells a host why its listing was rejected, with the reviewer's words", () => {
    const mail = listingRejected({
      hostName: "Ana",
      listingName: "Loft",
      reason: "The photos show another flat.\n\nPlease upload your own.",
    });
    expect(mail.subject).toBe("Changes needed: Loft");
    expect(mail.text).toContain("The photos show another flat.\n\nPlease upload your own.");
    expect(mail.html).toContain("<blockquote");
    expect(visibleText(mail.html)).toContain("The photos show another flat.");
    expect(visibleText(mail.html)).toContain("Please upload your own.");
  });

  it("tells a host in words why a photo failed, for every failure reason", () => {
    for (const reason of FAILURE_REASONS) {
      const mail = photoFailed({ hostName: "Ana", listingName: "Loft", reason });
      expect(mail.subject).toBe("A photo of Loft could not be used");
      expect(mail.text).toContain(PHOTO_FAILURE_WORDS[reason]);
      expect(visibleText(mail.html)).toContain(PHOTO_FAILURE_WORDS[reason]);
      expect(mail.text).not.toContain(reason);
    }
  });

  it("escapes user text in every notification's HTML and keeps it verbatim in the text", () => {
    const mails = [
      listingApproved({ hostName: evil, listingName: evil }),
      listingRejected({ hostName: evil, listingName: evil, reason: evil }),
      photoFailed({ hostName: evil, listingName: evil, reason: "CORRUPT" }),
    ];
    for (const mail of mails) {
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).toContain(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Bob&#39;",
      );
      expect(mail.text).toContain(evil);
      expect(visibleText(mail.html)).toContain(evil);
    }
  });

  it("keeps a subject on one line whatever the listing is called", () => {
    const mail = listingApproved({ hostName: "Ana", listingName: "Loft\r\nBcc: x@example.com" });
    expect(mail.subject).toBe("Approved: Loft Bcc: x@example.com");
    expect(listingApproved({ hostName: "Ana", listingName: "  " }).subject).toBe(
      "Approved: Your listing",
    );
  });
});
