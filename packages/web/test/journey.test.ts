import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { demoPhoto } from "@localstays/core/seed/photos";
import { waitForMail } from "@localstays/local/ses";
import type { LocalStack } from "@localstays/local/stack";
import { startTestStack } from "@localstays/local/testing";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

/**
 * The dashboard's main journey in a real browser (Debian's Chromium) against the local stack
 * serving the production build: a new host signs up, lists a place with a photo and submits
 * it; an admin approves it; the host publishes it; a guest finds it by city. Each step is a
 * test that needs the ones before it, so after a failure the rest are skipped, not run
 * against a half-done journey. Screenshots of every step go to test-artifacts/journey/.
 *
 * A second, shorter run visits every page on a phone (360 px, the narrowest common one)
 * as the demo host and admin, on the demo data the stack seeds for them: creating a listing
 * again would only repeat the desktop run's work. Its screenshots go to
 * test-artifacts/journey-phone/. With every screenshot in both runs comes a check that the
 * page is no wider than the screen (no sideways scrolling).
 */
interface Device {
  /** The screenshot folder. */
  shots: string;
  context: BrowserContextOptions & { viewport: { width: number; height: number } };
  shot: number;
}

const artifacts = (name: string) =>
  fileURLToPath(new URL(`../../../test-artifacts/${name}/`, import.meta.url));
const DESKTOP: Device = {
  shots: artifacts("journey"),
  context: { viewport: { width: 1280, height: 900 } },
  shot: 0,
};
const PHONE: Device = {
  shots: artifacts("journey-phone"),
  context: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
  shot: 0,
};
const STEP_TIMEOUT = 180_000;
/** What the dashboard says to a wrong password or an unknown email, on Cognito and locally. */
const WRONG_CREDENTIALS = "The email or password is not right.";

const run = randomUUID().slice(0, 8);
const host = { name: "Ana Host", email: `ana-${run}@example.com`, password: "Journey-pass-2024" };
const title = `Loft by the lake ${run}`;

let stack: LocalStack;
let web: string;
let browser: Browser;
let hostPage: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  for (const device of [DESKTOP, PHONE]) {
    rmSync(device.shots, { recursive: true, force: true });
    mkdirSync(device.shots, { recursive: true });
  }
  // The smallest seed: the phone run needs the demo host's listings (one in every status).
  stack = await startTestStack({ web: "build", seed: { hosts: 1, listingsPerHost: 1 } });
  if (!stack.outputs.WebUrl) throw new Error("The local stack serves no dashboard (no WebUrl)");
  web = stack.outputs.WebUrl;
  browser = await chromium.launch({
    // Debian's Chromium (`pnpm setup:browser`); GitHub's runners point it at their Chrome.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 240_000);

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await stack?.stop();
  }
}, 60_000);

beforeEach(({ task, skip }) => {
  const steps = task.suite?.tasks ?? [];
  const earlier = steps.slice(0, steps.indexOf(task));
  if (earlier.some((step) => step.result?.state !== "pass")) {
    skip("an earlier step of the journey did not pass");
  }
});
afterEach(async ({ task }) => {
  if (task.result?.state === "fail") {
    // Every open page as it was when the step failed, for the CI artifacts.
    const pages = browser.contexts().flatMap((context) => context.pages());
    for (const [index, page] of pages.entries()) {
      const device = page.viewportSize()?.width === PHONE.context.viewport.width ? PHONE : DESKTOP;
      await page.screenshot({ path: `${device.shots}failed-${index + 1}.png`, fullPage: true });
    }
  }
  expect(pageErrors.splice(0), "uncaught errors in the page").toEqual([]);
});

/** A fresh browser context: one per actor and device, so sessions never mix. */
async function newPage(device: Device = DESKTOP): Promise<Page> {
  const context = await browser.newContext(device.context);
  // Playwright waits 30 s by default; a loaded 2-core CI machine processing photos may not.
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // The preview sends the production Content-Security-Policy: a violation fails the step.
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      pageErrors.push(message.text());
    }
  });
  await page.goto(web);
  return page;
}

/** The little of the DOM the width check reads (this file is type-checked without the DOM lib). */
interface PageDocument {
  scrollingElement: { scrollWidth: number } | null;
  body: {
    querySelectorAll(selector: string): Iterable<{
      tagName: string;
      className: unknown;
      getBoundingClientRect(): { right: number };
    }>;
  };
}

/** The elements that stick out past the right edge of the screen, for the failure message. */
async function overflowOf(page: Page, width: number) {
  return page.evaluate((limit) => {
    const { document } = globalThis as unknown as { document: PageDocument };
    const wide = [...document.body.querySelectorAll("*")].filter(
      (element) => element.getBoundingClientRect().right > limit + 0.5,
    );
    return {
      scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
      sticksOut: wide
        .slice(0, 5)
        .map(
          (element) =>
            `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).replace(/ /g, ".")}` : ""} (right edge ${Math.round(element.getBoundingClientRect().right)} px)`,
        ),
    };
  }, width);
}

/** Saves the page's screenshot, then checks that the page does not scroll sideways. */
async function screenshot(page: Page, name: string, device: Device = DESKTOP) {
  device.shot += 1;
  await page.screenshot({
    path: `${device.shots}${String(device.shot).padStart(2, "0")}-${name}.png`,
    fullPage: true,
    // Ends the photos' fade-in, so a screenshot shows them as they settle.
    animations: "disabled",
  });
  const { width } = device.context.viewport;
  const overflow = await overflowOf(page, width);
  expect(
    overflow.scrollWidth,
    `"${name}" is ${overflow.scrollWidth} px wide on a ${width} px screen: ${overflow.sticksOut.join(", ")}`,
  ).toBeLessThanOrEqual(width);
}

function demoUser(group: "admins" | "hosts") {
  const user = stack.outputs.DemoUsers.find((candidate) =>
    group === "admins" ? candidate.groups.includes("admins") : !candidate.groups.includes("admins"),
  );
  if (!user) throw new Error(`The local stack has no demo user for the group ${group}`);
  return user;
}

/**
 * The confirmation code as a person finds it: the mail page (the SES emulator's) in another
 * tab, the newest mail to `email`, its HTML source shown, the six digits read off it.
 */
async function codeFromMailPage(email: string): Promise<string> {
  const mailPage = await browser.newPage();
  try {
    await mailPage.goto(stack.outputs.MailUrl);
    const mail = mailPage
      .locator(".email")
      .filter({ hasText: `To: ${email}` })
      .filter({ hasText: "Confirm your Localstays account" })
      .first();
    await mail.waitFor();
    await mail.getByRole("button", { name: "Toggle HTML view" }).click();
    await screenshot(mailPage, "mail-page");
    await mail.getByRole("button", { name: "Toggle HTML source view" }).click();
    const source = (await mail.locator(".email-source").textContent()) ?? "";
    const code = />\s*(\d{6})\s*</.exec(source)?.[1];
    if (!code) throw new Error(`No code in the mail to ${email}`);
    return code;
  } finally {
    await mailPage.close();
  }
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Waits until the host's listing page shows this status badge. */
async function waitForStatus(page: Page, status: string) {
  await page
    .getByTestId("listing-status")
    .filter({ hasText: new RegExp(`^${status}$`) })
    .waitFor();
}

describe("the host dashboard journey", { timeout: STEP_TIMEOUT }, () => {
  it("lets a new host sign up, confirm with the code and sign in", async () => {
    hostPage = await newPage();
    const page = hostPage;
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.getByLabel("Your name").fill(host.name);
    await page.getByLabel("Email").fill(host.email);
    await page.getByLabel("Password").fill(host.password);
    await screenshot(page, "sign-up");
    await page.getByRole("button", { name: "Create account" }).click();

    const hint = page.getByTestId("confirmation-code-hint");
    await hint.waitFor();
    expect(await hint.getByRole("link", { name: "mail page" }).getAttribute("href")).toBe(
      stack.outputs.MailUrl,
    );
    expect(await page.getByLabel("Email").inputValue()).toBe(host.email);
    const code = await codeFromMailPage(host.email);
    await page.getByLabel("Confirmation code").fill(code);
    await screenshot(page, "confirm");
    await page.getByRole("button", { name: "Confirm" }).click();

    await page.getByText("Your email address is confirmed").waitFor();
    await signIn(page, host.email, host.password);
    await page.getByRole("heading", { name: "My listings" }).waitFor();
    await page.getByTestId("signed-in-as").filter({ hasText: host.name }).waitFor();
    await page.getByText("No listings yet").waitFor();
    await screenshot(page, "signed-in");
  });

  it("tells someone who mistypes the password that the email or password is not right", async () => {
    const page = await newPage();
    await page.getByRole("link", { name: "Sign in" }).click();
    // cognito-local alone answers InvalidPasswordException, which means "too weak" in AWS.
    await signIn(page, demoUser("hosts").email, "Not-the-password-1");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(WRONG_CREDENTIALS);
    await screenshot(page, "wrong-password");
    await page.context().close();
  });

  it("lets the host create a listing with everything submit needs but the photo", async () => {
    const page = hostPage;
    await page.getByRole("link", { name: "New listing" }).click();
    const fields: [string, string][] = [
      ["Title", title],
      ["Description", "Two bright rooms on the lake shore, five minutes from the old town."],
      ["Street", "Seestrasse 1"],
      ["City", "Zürich"],
      ["Postcode", "8002"],
      ["Country code", "CH"],
      ["Guests", "4"],
      ["Bedrooms", "2"],
      ["Beds", "2"],
      ["Bathrooms", "1.5"],
      ["Nightly price", "180"],
      ["Currency", "CHF"],
      ["Cleaning fee", "45.50"],
      ["Check-in from", "15:00"],
      ["Check-out by", "11:00"],
    ];
    for (const [label, value] of fields) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel("Property type").selectOption("apartment");
    await page.getByLabel("Wi-Fi").check();
    await page.getByLabel("Kitchen").check();
    await screenshot(page, "listing-form");
    await page.getByRole("button", { name: "Create listing" }).click();

    await page.getByRole("heading", { name: title }).waitFor();
    await waitForStatus(page, "Draft");
    const missing = page.getByTestId("missing-for-submit");
    expect(await missing.textContent()).toBe(
      "Still needed before you can submit: at least one processed photo.",
    );
    expect(await page.getByRole("button", { name: "Submit for review" }).isDisabled()).toBe(true);
    await screenshot(page, "draft");
  });

  it("uploads a photo straight to storage and shows it once processed", async () => {
    const page = hostPage;
    await page.getByLabel("Add a photo").setInputFiles({
      name: "loft.jpg",
      mimeType: "image/jpeg",
      buffer: await demoPhoto(0),
    });
    const photos = page.getByRole("list", { name: "Photos" });
    await photos.getByTestId("photo-status").filter({ hasText: "Ready" }).waitFor();
    await photos.locator("img.loaded").waitFor();
    await page.getByTestId("missing-for-submit").waitFor({ state: "detached" });
    await screenshot(page, "photo-ready");
  });

  it("submits the complete listing for review", async () => {
    const page = hostPage;
    await page.getByRole("button", { name: "Submit for review" }).click();
    await waitForStatus(page, "In review");
    expect(await page.getByRole("button", { name: "Publish" }).count()).toBe(0);
    await screenshot(page, "submitted");
  });

  it("lets an admin approve it from the review queue", async () => {
    const admin = demoUser("admins");
    const page = await newPage();
    await page.getByRole("link", { name: "Sign in" }).click();
    await signIn(page, admin.email, admin.password);
    await page.getByRole("link", { name: "Review queue" }).click();
    const card = page.getByRole("article", { name: title });
    await card.locator("img.loaded").waitFor();
    await screenshot(page, "review-queue");
    await card.getByRole("button", { name: "Approve" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Approved “${title}”.` })
      .waitFor();
    await card.waitFor({ state: "detached" });
    await screenshot(page, "approved");
    // The host hears of it: the outbox delivers the approval to the mail page within seconds.
    const mail = await waitForMail(
      stack.outputs.SesEndpoint,
      host.email,
      (m) => m.subject === `Approved: ${title}`,
    );
    expect(mail.body.text).toContain(`your listing "${title}" was approved`);
  });

  it("lets the host publish the approved listing", async () => {
    const page = hostPage;
    await page.reload();
    await waitForStatus(page, "Approved");
    await page.getByRole("button", { name: "Publish" }).click();
    await waitForStatus(page, "Online");
    await page.getByRole("button", { name: "Unpublish" }).waitFor();
    await screenshot(page, "published");
  });

  it("lets a guest find it by city, without signing in, and open its page with the photo", async () => {
    const page = await newPage();
    await page.getByRole("heading", { name: "Find a stay" }).waitFor();
    // Search matches the city without case or accents.
    await page.getByLabel("City").fill("zurich");
    await page.getByRole("button", { name: "Search" }).click();
    const results = page.getByRole("list", { name: "Search results" });
    const card = results.getByRole("listitem").filter({ hasText: title });
    await card.locator("img.loaded").waitFor();
    // Intl puts a no-break space between the currency and the amount.
    expect(await card.textContent()).toMatch(/CHF\s180\.00 per night/);
    expect(await card.textContent()).toContain("Zürich, CH");
    await screenshot(page, "search-results");

    await card.getByRole("link", { name: title }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    const photo = page.getByRole("img", { name: `${title}, photo 1` });
    await photo.and(page.locator("img.loaded")).waitFor();
    expect(await page.getByText("Seestrasse").count()).toBe(0);
    await screenshot(page, "public-listing");
  });
});

describe("the dashboard on a phone", { timeout: STEP_TIMEOUT }, () => {
  let page: Page;

  it("lets a guest search by city and open a stay", async () => {
    const online = stack.seeded?.listings.find((listing) => listing.status === "ONLINE");
    if (!online) throw new Error("The local stack seeded no online listing");
    page = await newPage(PHONE);
    await page.getByRole("heading", { name: "Find a stay" }).waitFor();
    await screenshot(page, "search", PHONE);
    await page.getByLabel("City").fill(online.city);
    await page.getByRole("button", { name: "Search" }).click();
    const card = page.getByRole("list", { name: "Search results" }).getByRole("listitem").first();
    await card.locator("img.loaded").waitFor();
    await screenshot(page, "search-results", PHONE);
    await card.getByRole("link").first().click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.locator(".gallery img.loaded").first().waitFor();
    await screenshot(page, "stay", PHONE);
  });

  it("shows sign-up, confirmation and a wrong password in words", async () => {
    await page.goto(`${web}/sign-up`);
    await page.getByRole("button", { name: "Create account" }).waitFor();
    await screenshot(page, "sign-up", PHONE);
    await page.goto(`${web}/confirm`);
    await page.getByLabel("Confirmation code").waitFor();
    await screenshot(page, "confirm", PHONE);
    await page.goto(`${web}/sign-in`);
    await signIn(page, demoUser("hosts").email, "Not-the-password-1");
    await page.getByRole("alert").filter({ hasText: WRONG_CREDENTIALS }).waitFor();
    await screenshot(page, "wrong-password", PHONE);
  });

  it("lists the host's listings as cards, each with its status on screen", async () => {
    await page.getByLabel("Password").fill(demoUser("hosts").password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My listings" }).waitFor();
    const badges = page.locator("table.listings .badge");
    await badges.first().waitFor();
    await screenshot(page, "my-listings", PHONE);
    const { width } = PHONE.context.viewport;
    for (const badge of await badges.all()) {
      const box = await badge.boundingBox();
      const label = (await badge.textContent()) ?? "a status badge";
      expect(box && box.x + box.width, label).toBeLessThanOrEqual(width);
    }
  });

  it("shows a listing's details one under the other, with its photos", async () => {
    await page
      .locator("table.listings tbody tr")
      .filter({ has: page.locator(".badge-online") })
      .first()
      .getByRole("link")
      .click();
    await page.getByTestId("listing-status").waitFor();
    // Photos load lazily: on a phone they start below the fold.
    const photo = page.getByRole("list", { name: "Photos" }).locator("img").first();
    await photo.scrollIntoViewIfNeeded();
    await photo.and(page.locator("img.loaded")).waitFor();
    await screenshot(page, "listing", PHONE);
    // A term and its value stacked, not side by side in a squeezed second column.
    const detail = page.locator(".details > div").first();
    const term = await detail.locator("dt").boundingBox();
    const value = await detail.locator("dd").boundingBox();
    expect(value?.x).toBe(term?.x);
    expect(value?.y).toBeGreaterThanOrEqual((term?.y ?? 0) + (term?.height ?? 0));
  });

  it("shows the listing form, for a new listing and to edit one", async () => {
    await page.getByRole("link", { name: "Edit listing" }).click();
    await page.getByLabel("Title", { exact: true }).waitFor();
    await screenshot(page, "edit-listing", PHONE);
    await page.getByRole("link", { name: "New listing" }).click();
    await page.getByRole("button", { name: "Create listing" }).waitFor();
    await screenshot(page, "new-listing", PHONE);
    await page.goto(`${web}/no-such-page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await screenshot(page, "not-found", PHONE);
    await page.context().close();
  });

  it("lets an admin review on a phone", async () => {
    const admin = demoUser("admins");
    const adminPage = await newPage(PHONE);
    await adminPage.goto(`${web}/sign-in`);
    await signIn(adminPage, admin.email, admin.password);
    await adminPage.getByRole("heading", { name: "My listings" }).waitFor();
    await adminPage.getByRole("link", { name: "Review queue" }).click();
    await adminPage.getByRole("article").first().locator("img.loaded").first().waitFor();
    await screenshot(adminPage, "review-queue", PHONE);
    await adminPage.context().close();
  });
});
