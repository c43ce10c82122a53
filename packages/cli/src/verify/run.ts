import { type Route, routes } from "../../../functions/src/routes.js";
import { type Check, functionChecks, routeChecks, routeTableCheck } from "./checks.js";
import type { DeployedStage } from "./deployed.js";
import { expectedState, type StackTemplate } from "./expected.js";
import { type TableWait, tableCheck } from "./tables.js";

/** `localstays verify`'s comparisons in order: code, stacks, routes, functions, tables. */
export interface VerifyReport {
  stage: string;
  region: string;
  ok: boolean;
  checks: Check[];
}

export interface VerifyInput {
  stage: string;
  stacks: readonly StackTemplate[];
  deployed: DeployedStage;
  wait?: TableWait;
  /** The route table the templates must agree with; default routes.ts. */
  routeTable?: readonly Route[];
  /** Called with each check as it is made (the CLI prints a line per check). */
  onCheck?: (check: Check) => void;
}

export async function verifyStage(input: VerifyInput): Promise<VerifyReport> {
  const { deployed, onCheck } = input;
  const checks: Check[] = [];
  const add = (...made: Check[]) => {
    for (const one of made) {
      checks.push(one);
      onCheck?.(one);
    }
  };
  const expected = expectedState(input.stacks);
  add(routeTableCheck(input.routeTable ?? routes, expected.routes));
  for (const stack of input.stacks) {
    const resources = await deployed.stackResources(stack.stackName);
    add({
      kind: "stack",
      subject: `stack ${stack.stackName}`,
      ok: resources !== undefined,
      notes: resources ? [`${resources.size} resources`] : ["not deployed"],
    });
  }
  add(...(await routeChecks(deployed, expected.routes)));
  for (const fn of expected.functions) add(...(await functionChecks(deployed, fn)));
  for (const table of expected.tables) add(await tableCheck(deployed, table, input.wait));
  return {
    stage: input.stage,
    region: deployed.region,
    ok: checks.every((made) => made.ok),
    checks,
  };
}
