import { createRequire } from "node:module";
import type * as DocumentLib from "../../packages/core/node_modules/@aws-sdk/lib-dynamodb";
import * as core from "../../packages/core/src/index.js";
import { listingEntity } from "../../packages/core/src/listing/entity.js";
import * as photos from "../../packages/core/src/seed/photos.js";

/**
 * Core, its listing entity and the document commands. They use the runtime in effect, which
 * the bench configures from the local stack (`configure(stack.runtime)`) before calling them.
 */
export function loadCore() {
  // lib-dynamodb is core's dependency (not the root's): the copy core's DocumentClient uses.
  const requireFromCore = createRequire(
    new URL("../../packages/core/package.json", import.meta.url),
  );
  const { GetCommand, QueryCommand } = requireFromCore(
    "@aws-sdk/lib-dynamodb",
  ) as typeof DocumentLib;
  return { core, listingEntity, photos, GetCommand, QueryCommand };
}

export type LoadedCore = ReturnType<typeof loadCore>;
export type Core = LoadedCore["core"];
