import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { type RunningService, safeTail, stopChild, waitUntilListening } from "./child-process.js";
import { repoRoot } from "./paths.js";

/**
 * The dashboard (packages/web) pointed at the local stack, run by Vite's own command line:
 *
 * - "dev": Vite's dev server, with hot reload, for `pnpm start`;
 * - "build": the production build served by `vite preview`, for the browser tests: what
 *   StaticSite deploys, and no on-demand dependency optimisation that could reload a page
 *   in the middle of a test.
 *
 * The app takes its settings as VITE_* environment variables at build time, which is how
 * SST's StaticSite passes them in AWS. Vite runs in a child process with that environment
 * (and its own NODE_ENV: under vitest this process has NODE_ENV=test, which would make
 * `vite build` a development build).
 */
export type WebMode = "dev" | "build";

export interface WebSettings {
  apiUrl: string;
  userPoolId: string;
  userPoolClientId: string;
  /** cognito-local's URL: the app then signs in with USER_PASSWORD_AUTH (it has no SRP). */
  cognitoEndpoint: string;
  /** The SES emulator's mail page, where the confirm page sends a new user for the code. */
  mailUrl: string;
  /** s3rver: photo uploads go there and photos come from there (the preview's CSP). */
  s3Endpoint: string;
}

const webRoot = path.join(repoRoot, "packages", "web");
const vite = path.join(
  path.dirname(createRequire(path.join(webRoot, "package.json")).resolve("vite/package.json")),
  "bin",
  "vite.js",
);
const HOST = "127.0.0.1";
const run = promisify(execFile);

function viteEnv(settings: WebSettings, nodeEnv: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: nodeEnv,
    VITE_API_URL: settings.apiUrl,
    VITE_USER_POOL_ID: settings.userPoolId,
    VITE_USER_POOL_CLIENT_ID: settings.userPoolClientId,
    VITE_COGNITO_ENDPOINT: settings.cognitoEndpoint,
    VITE_MAIL_URL: settings.mailUrl,
    // Not VITE_: vite.config.ts reads it for the preview's Content-Security-Policy, and it
    // never reaches the app.
    LOCALSTAYS_S3_ENDPOINT: settings.s3Endpoint,
  };
}

export async function startWeb(options: {
  mode: WebMode;
  port: number;
  /** For the log and, when built, the app: inside the stack's data directory. */
  directory: string;
  settings: WebSettings;
}): Promise<RunningService> {
  const { mode, port, directory, settings } = options;
  mkdirSync(directory, { recursive: true });
  const listen = ["--host", HOST, "--port", String(port), "--strictPort"];
  let args: string[];
  if (mode === "build") {
    const outDir = path.join(directory, "dist");
    try {
      await run(process.execPath, [vite, "build", "--outDir", outDir, "--emptyOutDir"], {
        cwd: webRoot,
        env: viteEnv(settings, "production"),
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `Building the dashboard failed:\n${failed.stderr || failed.stdout || failed.message}`,
      );
    }
    args = ["preview", "--outDir", outDir, ...listen];
  } else {
    args = ["--clearScreen", "false", ...listen];
  }

  const logFile = path.join(directory, "vite.log");
  const log = createWriteStream(logFile, { flags: "w" });
  const child = spawn(process.execPath, [vite, ...args], {
    cwd: webRoot,
    env: viteEnv(settings, mode === "build" ? "production" : "development"),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  await waitUntilListening(child, { port, name: "Vite", output: () => safeTail(logFile) });
  const endpoint = `http://${HOST}:${port}`;
  await answering(endpoint, child, () => safeTail(logFile));
  return {
    endpoint,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: async () => {
      await stopChild(child);
      log.end();
    },
  };
}

/**
 * Until Vite answers HTTP at `endpoint`: an open port is not proof of that (a loaded CI run
 * once found nothing listening right after the port check: most likely another process held
 * the port for a moment, a free port being free only when picked). Fails with Vite's output
 * if it exits meanwhile.
 */
async function answering(endpoint: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`Vite exited with code ${child.exitCode} before it answered:\n${output()}`);
    }
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(
          `Vite did not answer at ${endpoint}: ${(error as Error).message}\n${output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
