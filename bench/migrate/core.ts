import { createRequire } from "node:module";
import type * as DocumentLib from "../../packages/core/node_modules/@aws-sdk/lib-dynamodb";

/**
 * Core's migration module, the listing entity and the document commands, imported only
 * once the environment points at the bench's DynamoDB Local: core binds its table and
 * client when first imported.
 */
export async function loadCore() {
  const { Migrations } = await import("../../packages/core/src/migration/index.js");
  const testing = await import("../../packages/core/src/migration/testing.js");
  const { listingStatusActiveToOnline } = await import(
    "../../packages/core/src/migration/migrations/0001-listing-status-active-to-online.js"
  );
  const { dynamoClient } = await import("../../packages/core/src/dynamo.js");
  // lib-dynamodb is core's dependency (not the root's): the copy core's client uses.
  const requireFromCore = createRequire(
    new URL("../../packages/core/package.json", import.meta.url),
  );
  const { ScanCommand, UpdateCommand } = requireFromCore(
    "@aws-sdk/lib-dynamodb",
  ) as typeof DocumentLib;
  return {
    Migrations,
    testing,
    migration: listingStatusActiveToOnline,
    client: dynamoClient(),
    ScanCommand,
    UpdateCommand,
  };
}

export type Core = Awaited<ReturnType<typeof loadCore>>;
