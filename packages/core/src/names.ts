import { APP_NAME } from "./app.js";

/**
 * Resource names, `localstays-<stage>[-<purpose>]`: the one spelling of the prefix, for the
 * stacks (table, pool, key alias, functions, queues, alarms), the local stack and the CLI.
 * Here and not in stacks/ because runtime code must not load aws-cdk-lib; and free of Node
 * modules, because the dashboard loads it too (through user-pool.ts).
 */

/** `localstays-<stage>`: the table, the user pool, the key alias; what every name starts with. */
export function stagePrefix(stage: string): string {
  return `${APP_NAME}-${stage}`;
}

/** `GET /api/v1/hosts/{hostId}` -> `GET-api-v1-hosts-hostId` (construct ids, resource names). */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** `localstays-<stage>-<purpose>` (queues, alarms). */
export function stageResourceName(stage: string, purpose: string): string {
  return `${stagePrefix(stage)}-${slug(purpose)}`;
}
