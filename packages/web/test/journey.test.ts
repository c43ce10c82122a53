import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { demoPhoto } from "@localstays/core/seed/photos";
import type { LocalStack } from "@localstays/local/stack";
import { startTestStack } from "@localstays/local/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

/**
 * The dashboard's main journey in a real browser (Debian's Chromium) against the local stack
 * serving the production build: a new host signs up, lists a place with a photo and submits
 * it; an admin approves it; the host publishes it; a guest finds it by city. Each step is a
 * test that needs the ones before it, so after a failure the rest are skipped, not run
 * against a half-done journey. Screenshots of every step go to test-artifacts/journey/.
 */
const SHOTS = fileURLToPath(new URL("../../../test-artifacts/journey/", import.meta.url));
const STEP_TIMEOUT = 180_000;

const run = randomUUID().slice(0, 8);
const host = { name: "Ana Host", email: `ana-${run}@example.com`, password: "Journey-pass-2024" };
const title = `Loft by the lake ${run}`;

let stack: LocalStack;
let web: string;
let browser: Browser;
let hostPage: Page;
let shot = 0;
const pageErrors: string[] = [];

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  stack = await startTestStack({ web: "build" });
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
      await page.screenshot({ path: `${SHOTS}failed-${index + 1}.png`, fullPage: true });
    }
  }
  expect(pageErrors.splice(0), "uncaught errors in the page").toEqual([]);
});

/** A fresh browser context: one per actor, so sessions never mix. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

async function screenshot(page: Page, name: string) {
  shot += 1;
  await page.screenshot({
    path: `${SHOTS}${String(shot).padStart(2, "0")}-${name}.png`,
    fullPage: true,
    // Ends the photos' fade-in, so a screenshot shows them as they settle.
    animations: "disabled",
  });
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
    expect(await hint.textContent()).toContain(stack.outputs.ConfirmationCode);
    expect(await page.getByLabel("Email").inputValue()).toBe(host.email);
    await page.getByLabel("Confirmation code").fill(stack.outputs.ConfirmationCode);
    await screenshot(page, "confirm");
    await page.getByRole("button", { name: "Confirm" }).click();

    await page.getByText("Your email address is confirmed").waitFor();
    await signIn(page, host.email, host.password);
    await page.getByRole("heading", { name: "My listings" }).waitFor();
    await page.getByTestId("signed-in-as").filter({ hasText: host.name }).waitFor();
    await page.getByText("No listings yet").waitFor();
    await screenshot(page, "signed-in");
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
    const admin = stack.outputs.DemoUsers.find((user) => user.groups.includes("admins"));
    if (!admin) throw new Error("The local stack has no demo admin");
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
