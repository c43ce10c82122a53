import { hostname, userInfo } from "node:os";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/**
 * Who ran a migration, for the audit records.
 *   sts          AWS: the principal of the credentials the run uses (STS GetCallerIdentity)
 *   os           off AWS (the local stack): the OS user
 * `osUser` is recorded in every case: on a shared role it tells the people apart.
 */
export interface Operator {
  source: "sts" | "os";
  /** The principal's ARN, or `user@host`. */
  id: string;
  account?: string;
  osUser: string;
}

const osUser = () => {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment is all there is.
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
};

export function osOperator(): Operator {
  return { source: "os", id: `${osUser()}@${hostname()}`, osUser: osUser() };
}

/** The AWS principal behind `client`'s credentials (STS GetCallerIdentity). */
export async function awsOperator(client: DynamoDBClient): Promise<Operator> {
  const { region, credentials } = client.config;
  const sts = new STSClient({ region, credentials });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return {
      source: "sts",
      id: identity.Arn ?? "unknown",
      ...(identity.Account ? { account: identity.Account } : {}),
      osUser: osUser(),
    };
  } finally {
    sts.destroy();
  }
}
