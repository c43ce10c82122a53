import type { TemplateDiff } from "@aws-cdk/cloudformation-diff";

/** Broadened permissions of one stack: what a human reads before the promotion goes on. */
export interface Approval {
  stack: string;
  /** One line per widening: `+ Allow s3:* on ${Photos.Arn}/uploads/*`, `- Deny ...`. */
  statements: string[];
}

type Statement = TemplateDiff["iamChanges"]["statements"]["additions"][number];
type Targets = Statement["actions"];

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "i").test(value);
}

function covers(wider: Targets, narrower: Targets): boolean {
  if (wider.not || narrower.not) return wider.not === narrower.not && wider.equal(narrower);
  return narrower.values.every((value) =>
    wider.values.some((pattern) => globMatches(pattern, value)),
  );
}

/** Whether `added` grants nothing that `removed` did not (same effect and condition, subsets). */
function coveredBy(added: Statement, removed: Statement): boolean {
  return (
    added.effect === removed.effect &&
    JSON.stringify(added.condition) === JSON.stringify(removed.condition) &&
    covers(removed.actions, added.actions) &&
    covers(removed.resources, added.resources) &&
    covers(removed.principals, added.principals)
  );
}

function renderStatement(sign: "+" | "-", statement: Statement): string {
  const { effect, action, resource, principal, condition } = statement.render();
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ", ");
  return [
    `${sign} ${effect} ${oneLine(action)} on ${oneLine(resource)}`,
    principal ? ` for ${oneLine(principal)}` : "",
    condition ? ` when ${oneLine(condition)}` : "",
  ].join("");
}

/**
 * Broadening as `cdk deploy --require-approval broadening` sees it (an added Allow, a
 * removed Deny, a managed policy or security group rule added), minus added statements that
 * only restate or narrow one that was removed (s3:* -> s3:GetObject is not broadening).
 */
export function approvalOf(stack: string, diff: TemplateDiff): Approval | undefined {
  const { iamChanges, securityGroupChanges } = diff;
  const { additions, removals } = iamChanges.statements;
  const widened = additions.filter(
    (statement) =>
      !statement.isNegativeStatement && !removals.some((removed) => coveredBy(statement, removed)),
  );
  const liftedDenies = removals.filter(
    (statement) => statement.isNegativeStatement && !additions.some((a) => a.equal(statement)),
  );
  const lines = [
    ...widened.map((statement) => renderStatement("+", statement)),
    ...liftedDenies.map((statement) => renderStatement("-", statement)),
    ...iamChanges.managedPolicies.additions.map(
      (attachment) =>
        `+ managed policy ${attachment.managedPolicyArn} for ${attachment.identityArn}`,
    ),
    ...(securityGroupChanges.rulesAdded ? ["+ security group rules"] : []),
  ];
  return lines.length ? { stack, statements: lines } : undefined;
}
