import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { HOST_GROUP, Host } from "@localstays/core";
import { enrolHost } from "@localstays/functions/auth/enrol";
import { confirmedUsers, membersOf } from "./user-pool.js";

/**
 * `localstays hosts repair`: confirmed users of the pool whose Cognito subject has no Host
 * record, or who are not in the hosts group (their PostConfirmation run failed half-way, or
 * never happened), are enrolled as the trigger enrols them: its own enrolHost, in the runtime
 * the command configured for the stage (configureTarget).
 */
export interface RepairOptions {
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  apply: boolean;
  /** Called for each user that needs a repair, once it is repaired (or would be). */
  progress?: (repair: Repair) => void;
}

export interface Repair {
  username: string;
  email: string | undefined;
  /** What the Host record gets (or would get): core's registrationOf. */
  displayName: string | undefined;
  missing: ("host" | "group")[];
  outcome: "would-repair" | "repaired" | "failed";
  hostId?: string;
  error?: string;
}

export interface RepairReport {
  userPoolId: string;
  mode: "apply" | "dry-run";
  confirmedUsers: number;
  /** Confirmed users with a Host record and the hosts group: nothing to do. */
  enrolled: number;
  repairs: Repair[];
}

function planned(
  username: string,
  attributes: Host.CognitoAttributes,
  missing: Repair["missing"],
): Repair {
  const base = { username, email: attributes.email, missing };
  try {
    const { displayName } = Host.registrationOf(attributes);
    return { ...base, displayName, outcome: "would-repair" };
  } catch (error) {
    // No sub or e-mail: nothing to register, and nothing a re-run would change.
    return { ...base, displayName: undefined, outcome: "failed", error: (error as Error).message };
  }
}

export async function repairHosts(options: RepairOptions): Promise<RepairReport> {
  const { cognito, userPoolId } = options;
  const report: RepairReport = {
    userPoolId,
    mode: options.apply ? "apply" : "dry-run",
    confirmedUsers: 0,
    enrolled: 0,
    repairs: [],
  };
  const hosts = await membersOf(cognito, userPoolId, HOST_GROUP);
  for await (const user of confirmedUsers(cognito, userPoolId)) {
    report.confirmedUsers += 1;
    const sub = user.attributes.sub;
    const missing: Repair["missing"] = [];
    if (!(sub && (await Host.bySub(sub)))) missing.push("host");
    if (!hosts.has(user.username)) missing.push("group");
    if (missing.length === 0) {
      report.enrolled += 1;
      continue;
    }
    let repair = planned(user.username, user.attributes, missing);
    if (options.apply && repair.outcome === "would-repair") {
      try {
        const host = await enrolHost(cognito, { userPoolId, ...user });
        repair = { ...repair, outcome: "repaired", hostId: host.hostId };
      } catch (error) {
        repair = { ...repair, outcome: "failed", error: (error as Error).message };
      }
    }
    report.repairs.push(repair);
    options.progress?.(repair);
  }
  return report;
}
