import { parseArgs } from "node:util";
import type { Outputs } from "./outputs.js";
import { prettyPrintLogs } from "./pretty-logs.js";
import { type LocalStack, startLocalStack } from "./stack.js";
import { DEFAULT_PORTS, type StackPorts } from "./stack-ports.js";
import { killNow } from "./stale-processes.js";

/**
 * `pnpm start`: the local stack in the foreground until Ctrl-C.
 *   --fresh                 wipe .localstays/ first
 *   --no-seed               do not fill an empty table with demo data (`localstays seed`)
 *   --no-web                do not serve the dashboard
 *   --api-port 3000 --dynamodb-port 8000 --s3-port 4569 --cognito-port 9229 --lambda-port 3001
 *   --web-port 5173 --ses-port 8005
 *   --data-dir <dir>        another state directory
 *   --json-logs             the functions' log and metric lines as raw JSON, as CloudWatch
 *                           gets them (the default when the output is not a terminal)
 */
// Node 20 is this repo's floor; the SDK's notice about Node 22 would be the first thing a new
// user reads. It is read when a client is constructed, so setting it here is early enough.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const USAGE = `Usage: pnpm start [--fresh] [--no-seed] [--no-web] [--data-dir DIR] [--api-port N]
                  [--dynamodb-port N] [--s3-port N] [--cognito-port N] [--lambda-port N]
                  [--web-port N] [--ses-port N] [--json-logs]`;

function parsePorts(values: Record<string, string | boolean | undefined>): Partial<StackPorts> {
  const ports: Partial<StackPorts> = {};
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[]) {
    const raw = values[`${key}-port`];
    if (typeof raw !== "string") continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`--${key}-port must be a port number, not "${raw}"`);
    }
    ports[key] = port;
  }
  return ports;
}

function summary(outputs: Outputs, outputsFile: string, seconds: string): string {
  const users = outputs.DemoUsers.map(
    (u) => `    ${u.email.padEnd(24)} ${u.password.padEnd(18)} ${u.groups.join(", ")}`,
  ).join("\n");
  const web = outputs.WebUrl
    ? `\n  Dashboard    ${outputs.WebUrl}   (sign in as a demo user below)\n`
    : "";
  return `
Localstays local stack ready in ${seconds} s
${web}
  API          ${outputs.ApiUrl}   (try ${outputs.ApiUrl}/api/v1/health)
  DynamoDB     ${outputs.DynamoDbEndpoint}   table ${outputs.TableName}
  S3           ${outputs.S3Endpoint}   bucket ${outputs.BucketName}
  Cognito      ${outputs.CognitoEndpoint}   pool ${outputs.UserPoolId}, client ${outputs.UserPoolClientId}
  SES          ${outputs.SesEndpoint}   (SES v2 API)
  Mail         ${outputs.MailUrl}   every mail the stack sent: review decisions, sign-up codes
  Outputs      ${outputsFile}

  Demo users (new sign-ups get their confirmation code on the mail page: ${outputs.MailUrl})
${users}

  curl -H "Authorization: Bearer $(pnpm -s localstays token --email ${outputs.DemoUsers[0]?.email})" ${outputs.ApiUrl}/api/v1/me
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws dynamodb describe-table --table-name ${outputs.TableName} --endpoint-url ${outputs.DynamoDbEndpoint} --region ${outputs.Region}

Ctrl-C stops everything; state is kept in the data directory (--fresh wipes it).
`;
}

async function main() {
  const args = process.argv.slice(2);
  const { values } = parseArgs({
    // `pnpm start -- --fresh` passes the "--" through, and parseArgs would read every option
    // after it as a positional: drop it.
    args: args[0] === "--" ? args.slice(1) : args,
    options: {
      fresh: { type: "boolean", default: false },
      "no-seed": { type: "boolean", default: false },
      "no-web": { type: "boolean", default: false },
      "data-dir": { type: "string" },
      "api-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      "s3-port": { type: "string" },
      "cognito-port": { type: "string" },
      "lambda-port": { type: "string" },
      "web-port": { type: "string" },
      "json-logs": { type: "boolean", default: false },
      "ses-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // The handlers write JSON lines, as in Lambda; a terminal shows them one readable line each.
  if (process.stdout.isTTY && !values["json-logs"]) {
    prettyPrintLogs(process.stdout, !process.env.NO_COLOR);
  }
  const started = performance.now();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      fresh: values.fresh,
      // An empty table gets demo hosts and listings; a table with listings is left alone.
      seed: !values["no-seed"],
      // Vite's dev server: edits to packages/web show at once.
      web: values["no-web"] ? false : "dev",
      ports: parsePorts(values),
      ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    });
  } catch (error) {
    console.error(`\nThe local stack did not start:\n  ${(error as Error).message}\n`);
    process.exit(1);
  }
  let stoppedCleanly = false;
  // A crash or a second Ctrl-C exits without stop(): the children must not outlive us.
  process.once("exit", () => {
    if (!stoppedCleanly) killNow(stack.pids);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(summary(stack.outputs, stack.outputsFile, seconds));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for a graceful stop; the exit hook kills the children.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    stack.stop().then(
      () => {
        stoppedCleanly = true;
        process.exit(0);
      },
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.on("SIGHUP", shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
