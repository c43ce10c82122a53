import { z } from "zod";

/**
 * The dashboard's settings, baked in at build time as VITE_* variables (SST's StaticSite in
 * AWS, the local stack locally: packages/local/src/web.ts). Parsed once; a missing one is
 * shown on the page.
 */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const required = (what: string) => z.string(what).min(1, what);

const Env = z.object({
  VITE_API_URL: z.url("must be the API's URL"),
  VITE_USER_POOL_ID: required("must be the Cognito user pool id"),
  VITE_USER_POOL_CLIENT_ID: required("must be the Cognito app client id"),
  /** Only on the local stack: cognito-local's URL. */
  VITE_COGNITO_ENDPOINT: optional(z.url("must be a URL")),
  /** Only on the local stack: the fixed sign-up confirmation code. */
  VITE_MAIL_URL: optional(z.url()),
});

export type AuthFlow = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";

export interface AppConfig {
  apiUrl: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint?: string;
  /** The local stack's mail page (the SES emulator): where a new user finds the code. */
  mailUrl?: string;
  /** cognito-local supports password sign-in but not SRP; AWS gets Amplify's default, SRP. */
  authFlow: AuthFlow;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, unknown>): ConfigResult {
  const result = Env.safeParse(env);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map(
        (issue) => `${issue.path.map(String).join(".")} ${issue.message}`,
      ),
    };
  }
  const { data } = result;
  return {
    ok: true,
    config: {
      apiUrl: data.VITE_API_URL.replace(/\/+$/, ""),
      userPoolId: data.VITE_USER_POOL_ID,
      userPoolClientId: data.VITE_USER_POOL_CLIENT_ID,
      ...(data.VITE_COGNITO_ENDPOINT ? { cognitoEndpoint: data.VITE_COGNITO_ENDPOINT } : {}),
      ...(data.VITE_MAIL_URL ? { mailUrl: data.VITE_MAIL_URL } : {}),
      authFlow: data.VITE_COGNITO_ENDPOINT ? "USER_PASSWORD_AUTH" : "USER_SRP_AUTH",
    },
  };
}
