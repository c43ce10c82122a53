import { createRequire } from "node:module";
import type Sharp from "../../packages/core/node_modules/sharp/lib/index.js";

/**
 * sharp is core's dependency, not the root's: the bench loads core's copy, the same libvips
 * the pipeline runs on.
 */
export const sharp = createRequire(new URL("../../packages/core/package.json", import.meta.url))(
  "sharp",
) as typeof Sharp;
