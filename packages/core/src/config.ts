import * as z from "zod";

/**
 * Runtime configuration: one typed object, validated once. Lambda entry points build it from
 * their environment (packages/functions/src/runtime.ts, the only place that reads it); the
 * CLI, the local stack, benches and tests pass the object to `configure()` (runtime.ts). The
 * keys are the environment variables' names, so `FunctionEnvironment` is also what the stacks
 * must set. A missing or malformed value fails at init, not on the first request that needs it.
 */
const flag = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((value) => value === "true" || value === "1");

export const ConfigSchema = z.object({
  STAGE: z.string().min(1),
  AWS_REGION: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1).optional(),
  USER_POOL_ID: z.string().min(1).optional(),
  /** The app client whose access tokens the API accepts (API functions only). */
  USER_POOL_CLIENT_ID: z.string().min(1).optional(),
  /** Admin rights need a verified TOTP authenticator (stacks/stage.ts `adminTotpRequired`). */
  ADMIN_TOTP_REQUIRED: flag,
  /**
   * Where guests fetch processed photos: `${IMAGES_BASE_URL}/images/...` (the CDN in AWS, the
   * bucket on s3rver locally). Only code that renders photo URLs needs it.
   */
  IMAGES_BASE_URL: z
    .url()
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /**
   * The sender of host notifications (`Localstays <no-reply@localstays.com>`) and the SES
   * configuration set they go through: only the outbox delivery sends mail.
   */
  MAIL_FROM: z.string().min(3).optional(),
  MAIL_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Only set off AWS: the DynamoDB Local / s3rver / cognito-local / SES emulator endpoints. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  COGNITO_ENDPOINT: z.url().optional(),
  SES_ENDPOINT: z.url().optional(),
  ENABLE_FEATURE_X: flag,
  /**
   * Whether the function traces with X-Ray (`tracing` in stacks/stage.ts, which also turns on
   * the Lambda's active tracing): the entry point then loads the tracer and core's AWS SDK
   * clients are captured.
   */
  TRACING: flag,
});

export type Config = z.output<typeof ConfigSchema>;
/** The configuration as given: strings, optional flags. */
export type ConfigInput = z.input<typeof ConfigSchema>;
/**
 * The variables a function's environment holds, as the stacks write them. Lambda itself sets
 * AWS_REGION, so a stack never does.
 */
export type FunctionEnvironment = Omit<ConfigInput, "AWS_REGION">;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseConfig(input: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid runtime configuration:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}
