import { createRequire } from "node:module";
import type * as DocumentLib from "../../packages/core/node_modules/@aws-sdk/lib-dynamodb";
import { Migrations } from "../../packages/core/src/migration/index.js";
import { listingStatusActiveToOnline } from "../../packages/core/src/migration/migrations/0001-listing-status-active-to-online.js";
import * as testing from "../../packages/core/src/migration/testing.js";
import type { Runtime } from "../../packages/core/src/runtime.js";

/**
 * Core's migration module, the migration, the runtime's client and the document commands:
 * the bench passes the runtime pointed at its DynamoDB Local.
 */
export function loadCore(runtime: Runtime) {
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
    client: runtime.dynamo(),
    ScanCommand,
    UpdateCommand,
  };
}

export type Core = ReturnType<typeof loadCore>;
