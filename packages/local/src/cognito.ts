import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningService, safeTail, stopChild, waitUntilListening } from "./child-process.js";
import { startCognitoProxy } from "./cognito-proxy.js";
import { freePort } from "./ports.js";

/**
 * cognito-local in a child process. It keeps its config and users in `.cognito/` under its
 * working directory, so each data directory gets its own working directory and the
 * repository root stays clean. Its log (one run's) goes to `cognito.log` there. It listens
 * on a port of its own; the stack's Cognito port is the proxy in front of it
 * (cognito-proxy.ts), which answers errors as Cognito does.
 */
const require = createRequire(import.meta.url);

/**
 * Preloaded into cognito-local: sends each finished message (our CustomMessage template, the
 * code filled in) to the SES emulator, where the mail page shows it.
 */
const MAIL_HOOK = fileURLToPath(new URL("./cognito-mail-hook.cjs", import.meta.url));

export interface CognitoLocalOptions {
  /** The Cognito endpoint's port (the proxy's); cognito-local itself gets a free one. */
  port: number;
  directory: string;
  /** Where triggers are invoked: the local Lambda endpoint. */
  lambdaEndpoint: string;
  region: string;
  /** Cognito trigger name (`PostConfirmation`) → Lambda function name. */
  triggers: Record<string, string>;
  /** Where cognito-local's messages are sent (the SES emulator), and from whom. */
  mail: { sesEndpoint: string; from: string };
}

export function cognitoLocalConfig(options: CognitoLocalOptions) {
  return {
    // The public port: tokens name the endpoint clients use, and their keys are fetched there.
    TokenConfig: { IssuerDomain: `http://127.0.0.1:${options.port}` },
    TriggerFunctions: options.triggers,
    LambdaClient: {
      endpoint: options.lambdaEndpoint,
      region: options.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    },
    UserPoolDefaults: { UsernameAttributes: ["email"] },
  };
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<RunningService> {
  const configDir = join(options.directory, ".cognito");
  mkdirSync(join(configDir, "db"), { recursive: true });
  // Rewritten on every start: ports (and so the issuer and Lambda endpoint) may change.
  writeFileSync(
    join(configDir, "config.json"),
    `${JSON.stringify(cognitoLocalConfig(options), null, 2)}\n`,
  );
  const localPort = await freePort();
  const logFile = join(options.directory, "cognito.log");
  // One run's log: it is what to read when a trigger or a sign-in misbehaves.
  const log = createWriteStream(logFile, { flags: "w" });
  const bin = join(dirname(require.resolve("cognito-local/package.json")), "lib/bin/start.js");
  const child = spawn(process.execPath, ["--require", MAIL_HOOK, bin], {
    cwd: options.directory,
    env: {
      ...process.env,
      PORT: String(localPort),
      HOST: "127.0.0.1",
      LOCALSTAYS_SES_ENDPOINT: options.mail.sesEndpoint,
      LOCALSTAYS_MAIL_FROM: options.mail.from,
      AWS_REGION: options.region,
      // pino-pretty colours would end up in the log file.
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stopCognitoLocal = async () => {
    await stopChild(child);
    log.end();
  };
  let proxy: RunningService;
  try {
    await waitUntilListening(child, {
      port: localPort,
      name: "cognito-local",
      output: () => safeTail(logFile),
    });
    proxy = await startCognitoProxy({
      port: options.port,
      upstream: `http://127.0.0.1:${localPort}`,
    });
  } catch (error) {
    await stopCognitoLocal();
    throw error;
  }
  return {
    endpoint: proxy.endpoint,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    stop: async () => {
      await proxy.stop();
      await stopCognitoLocal();
    },
  };
}
