import { resetConfig } from "@localstays/core/config";
import { S3RVER_CREDENTIALS } from "./s3.js";

/**
 * The environment the handlers see: what the stacks set in AWS plus the endpoints of the
 * stand-ins. Handlers run in this process, so these go into `process.env`; `restore` puts
 * the previous values back (tests start and stop stacks in one process).
 */
export interface HandlerEnvironment {
  STAGE: string;
  AWS_REGION: string;
  TABLE_NAME: string;
  BUCKET_NAME: string;
  DYNAMODB_ENDPOINT: string;
  S3_ENDPOINT: string;
  COGNITO_ENDPOINT: string;
  USER_POOL_ID: string;
  IMAGES_BASE_URL: string;
}

const FIXED: Record<string, string | undefined> = {
  // The SDK refuses to send a request without credentials, and dummy ones keep a developer's
  // real AWS profile out of local requests. DynamoDB Local and cognito-local take any key;
  // s3rver checks no signature but knows only its own key id, so that is the one for all.
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

const KEYS = [
  "STAGE",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "TABLE_NAME",
  "BUCKET_NAME",
  "DYNAMODB_ENDPOINT",
  "S3_ENDPOINT",
  "COGNITO_ENDPOINT",
  "USER_POOL_ID",
  "IMAGES_BASE_URL",
  ...Object.keys(FIXED),
];

function assign(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

export function handlerEnvironment() {
  const previous = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));
  return {
    /** Sets variables; the runtime config is re-read on its next use. */
    set(values: Partial<HandlerEnvironment>) {
      assign({
        ...FIXED,
        ...values,
        ...(values.AWS_REGION ? { AWS_DEFAULT_REGION: values.AWS_REGION } : {}),
      });
      resetConfig();
    },
    restore() {
      assign(previous);
      resetConfig();
    },
  };
}
