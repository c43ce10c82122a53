import * as z from "zod";

/**
 * Runtime configuration, read from the environment and validated once per cold start.
 * In AWS the stacks set these variables; on the local stack `packages/local` sets the same
 * names plus the `*_ENDPOINT` overrides. A missing or malformed variable fails at init, not
 * on the first request that happens to need it.
 */
const flag = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((value) => value === "true" || value === "1");

const ConfigSchema = z.object({
  STAGE: z.string().min(1),
  AWS_REGION: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  BUCKET_NAME: z.string().min(1).optional(),
  USER_POOL_ID: z.string().min(1).optional(),
  /**
   * Where guests fetch processed photos: `${IMAGES_BASE_URL}/images/...` (the CDN in AWS, the
   * bucket on s3rver locally). Only code that renders photo URLs needs it.
   */
  IMAGES_BASE_URL: z
    .url()
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** Only set off AWS: the DynamoDB Local / s3rver / cognito-local endpoints. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  COGNITO_ENDPOINT: z.url().optional(),
  ENABLE_FEATURE_X: flag,
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid runtime configuration:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The validated configuration of this process (parsed on first use, then memoised). */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests and the local stack change the environment between runs; they reset the cache. */
export function resetConfig(): void {
  cached = undefined;
}
