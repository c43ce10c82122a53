import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The dashboard's build. Its settings (API URL, user pool, app client) come in as VITE_*
 * environment variables at build time: from SST's StaticSite `environment` in AWS (stacks/Web.ts),
 * from the local stack on `pnpm start` and in the browser tests (packages/local/src/web.ts).
 *
 * Libraries go in chunks of their own: they change far less often than the app, so browsers
 * keep them cached across deployments.
 */
const pkg = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

export default defineConfig({
  plugins: [react()],
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
