import { createRequire } from "node:module";
import type * as DocumentLib from "../../packages/core/node_modules/@aws-sdk/lib-dynamodb";

/**
 * Core, its listing entity and the document commands, imported only when called: core binds
 * its client and table when first imported, so only once the local stack has set the env.
 */
export async function loadCore() {
  const core = await import("../../packages/core/src/index.js");
  const { ListingEntity } = await import("../../packages/core/src/listing/entity.js");
  const photos = await import("../../packages/core/src/seed/photos.js");
  // lib-dynamodb is core's dependency (not the root's): the copy core's DocumentClient uses.
  const requireFromCore = createRequire(
    new URL("../../packages/core/package.json", import.meta.url),
  );
  const { GetCommand, QueryCommand } = requireFromCore(
    "@aws-sdk/lib-dynamodb",
  ) as typeof DocumentLib;
  return { core, ListingEntity, photos, GetCommand, QueryCommand };
}

export type LoadedCore = Awaited<ReturnType<typeof loadCore>>;
export type Core = LoadedCore["core"];
