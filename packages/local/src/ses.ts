import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type RunningService, stopChild, waitUntilListening } from "./child-process.js";

/**
 * The SES v2 emulator (npm `aws-ses-v2-local`) in a child process: it answers SES v2's
 * SendEmail as AWS does and shows every mail it took on a web page (`/`), and lists them as
 * JSON at `/store`. Notifications reach it through core's own SES client (only the endpoint
 * differs), Cognito's finished messages through cognito-local's mail hook. Mail is kept in
 * memory: a restart empties the page. A child process, not in-process: its store is a
 * module-level singleton, and two stacks in one process must not share a mailbox.
 */
const require = createRequire(import.meta.url);

export async function startSes(options: { port: number }): Promise<RunningService> {
  const bin = join(dirname(require.resolve("aws-ses-v2-local/package.json")), "dist/cli.js");
  const child = spawn(
    process.execPath,
    [bin, "--host", "127.0.0.1", "--port", String(options.port)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await waitUntilListening(child, {
    port: options.port,
    name: "aws-ses-v2-local",
    output: () => output,
  });
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: () => stopChild(child),
  };
}

/** A mail the emulator took, as `/store` lists it. */
export interface CaughtMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Seconds since the epoch. */
  at: number;
}

/** Every mail the emulator at `endpoint` took, oldest first. */
export async function caughtMail(endpoint: string): Promise<CaughtMail[]> {
  const response = await fetch(`${endpoint}/store`);
  if (!response.ok) throw new Error(`${endpoint}/store answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: CaughtMail[] };
  return emails;
}

/**
 * The newest mail to `address` that `match` accepts, waiting up to `timeoutMs` for it (the
 * outbox is delivered asynchronously, as in AWS).
 */
export async function waitForMail(
  endpoint: string,
  address: string,
  match: (mail: CaughtMail) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  const wanted = address.toLowerCase();
  for (;;) {
    const found = (await caughtMail(endpoint))
      .filter((m) => m.destination.to.some((to) => to.toLowerCase().includes(wanted)))
      .filter(match)
      .at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No mail to ${address} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The six-digit code of a Cognito message (sign-up, resent code, forgotten password). */
export function codeIn(mail: CaughtMail): string {
  const text = `${mail.body.text ?? ""} ${mail.body.html ?? ""}`.replace(/<[^>]+>/g, " ");
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error(`No code in the mail "${mail.subject}"`);
  return code;
}
