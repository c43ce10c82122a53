import { readFileSync, writeFileSync } from "node:fs";
import { dataPaths, defaultDataDir } from "./paths.js";

/**
 * Everything a client of the local stack needs, written to `.localstays/outputs.json`: the
 * local twin of SST's `.sst/outputs.json`. The CLI, the web dashboard and the tests read it.
 */
export interface DemoUser {
  email: string;
  password: string;
  groups: string[];
}

export interface Outputs {
  ApiUrl: string;
  Region: string;
  DynamoDbEndpoint: string;
  S3Endpoint: string;
  CognitoEndpoint: string;
  LambdaEndpoint: string;
  TableName: string;
  BucketName: string;
  /** Where browsers fetch processed photos (the CDN's URL in AWS; the bucket on s3rver here). */
  ImagesUrl: string;
  UserPoolId: string;
  UserPoolClientId: string;
  /** `http://127.0.0.1:<port>/<poolId>`: the `iss` of every token the pool signs. */
  Issuer: string;
  /** The SES v2 emulator's endpoint (SDK clients, `aws sesv2 --endpoint-url`). */
  SesEndpoint: string;
  /** Its mail page: every mail the stack sent (notifications, Cognito's codes). */
  MailUrl: string;
  DemoUsers: DemoUser[];
  /** The dashboard, when the stack serves it (`pnpm start` does). */
  WebUrl?: string;
  /** Vite's dev server (`pnpm start`, no CSP header) or the production build's preview (tests). */
  WebMode?: "dev" | "build";
}

export function writeOutputs(dataDir: string, outputs: Outputs): string {
  const file = dataPaths(dataDir).outputs;
  writeFileSync(file, `${JSON.stringify(outputs, null, 2)}\n`);
  return file;
}

export class OutputsMissing extends Error {
  override name = "OutputsMissing";
}

/** The outputs of the last `pnpm start`; a clear error when it never ran. */
export function readOutputs(file = dataPaths(defaultDataDir).outputs): Outputs {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new OutputsMissing(
      `No local stack outputs at ${file}. Start the local stack first: \`pnpm start\`.`,
    );
  }
  return JSON.parse(text) as Outputs;
}
