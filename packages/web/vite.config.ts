import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { contentSecurityPolicy } from "./csp.js";

/**
 * The local stack's preview of the build (packages/local/src/web.ts) sends the policy that
 * CloudFront sends in AWS, with the local stack's origins.
 */
function localPreviewHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  const { VITE_API_URL: api, VITE_COGNITO_ENDPOINT: cognito, LOCALSTAYS_S3_ENDPOINT: s3 } = env;
  if (!api || !cognito || !s3) return {};
  const policy = contentSecurityPolicy({ connect: [api, cognito, s3], images: [s3] });
  return { "content-security-policy": policy };
}

const pkg = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

/**
 * The dashboard's build. Its settings (API URL, user pool, app client) come in as VITE_*
 * environment variables at build time: from SST's StaticSite `environment` in AWS (stacks/Web.ts),
 * from the local stack on `pnpm start` and in the browser tests (packages/local/src/web.ts).
 *
 * Libraries go in chunks of their own: they change far less often than the app, so browsers
 * keep them cached across deployments.
 */
export default defineConfig({
  plugins: [react()],
  preview: { headers: localPreviewHeaders(process.env) },
  build: {
    outDir: "dist",
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "react", test: pkg("react|react-dom|react-router|scheduler") },
            {
              name: "amplify",
              test: pkg("@aws-amplify|aws-amplify|@aws-crypto|@smithy|tslib|js-cookie"),
            },
            { name: "vendor", test: /[\\/]node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
