import { cannon } from "../lib/autocannon.js";
import { closedLoops } from "../lib/closed-loops.js";
import type { PlannedScenario } from "../lib/scenarios.js";
import { type ApiRequests, OPERATIONS, type Operation } from "./requests.js";

export type Side = "api" | "sdk" | "raw";

export const SIDES: Record<Side, string> = {
  api: "api  (gateway → handler → DynamoDB Local)",
  sdk: "sdk  (core's DocumentClient, in process)",
  raw: "raw  (autocannon → DynamoDB Local)",
};

/**
 * Every operation from every side, in that order: autocannon for api and raw (the same load
 * generator on both), closed loops in this process for sdk.
 */
export function planScenarios(
  requests: ApiRequests,
  sides: readonly Side[],
  connections: number,
): PlannedScenario<Operation, Side>[] {
  return (Object.keys(OPERATIONS) as Operation[]).flatMap((operation) =>
    sides.map((side) => ({
      operation,
      side,
      label: SIDES[side],
      run:
        side === "sdk"
          ? (seconds: number) => closedLoops(requests.sdk[operation], seconds, connections)
          : (seconds: number) => cannon(requests[side][operation], seconds, connections),
    })),
  );
}
