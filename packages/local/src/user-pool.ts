import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ExplicitAuthFlowsType,
  ListGroupsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { UserPoolDefinition } from "@localstays/core/user-pool";

/**
 * The user pool, app client and groups, built from the same `UserPoolDefinition` as the
 * Auth stack. cognito-local invents new ids on every CreateUserPool, so the ids are kept in
 * the data directory and a restart reuses the pool (and its users) instead of making another.
 */
export interface UserPoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

function readState(file: string): Partial<UserPoolIds> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Partial<UserPoolIds>;
  } catch {
    return {};
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof ResourceNotFoundException ||
    (error as { name?: string }).name === "ResourceNotFoundException"
  );
}

async function existingPool(client: CognitoIdentityProviderClient, id: string | undefined) {
  if (!id) return false;
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function existingClient(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  id: string | undefined,
) {
  if (!id) return false;
  try {
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: id }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function ensureUserPool(
  client: CognitoIdentityProviderClient,
  options: { name: string; stateFile: string },
): Promise<UserPoolIds & { created: boolean }> {
  const state = readState(options.stateFile);
  const definition = UserPoolDefinition;
  let created = false;

  let userPoolId = state.userPoolId ?? "";
  if (!(await existingPool(client, userPoolId))) {
    const policy = definition.passwordPolicy;
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: options.name,
        ...(definition.signInWithEmail
          ? { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }
          : {}),
        MfaConfiguration: definition.mfa,
        Policies: {
          PasswordPolicy: {
            MinimumLength: policy.minimumLength,
            RequireLowercase: policy.requireLowercase,
            RequireUppercase: policy.requireUppercase,
            RequireNumbers: policy.requireDigits,
            RequireSymbols: policy.requireSymbols,
          },
        },
      }),
    );
    if (!UserPool?.Id) throw new Error("cognito-local created a user pool without an id");
    userPoolId = UserPool.Id;
    created = true;
  }

  let userPoolClientId = (created ? undefined : state.userPoolClientId) ?? "";
  if (!(await existingClient(client, userPoolId, userPoolClientId))) {
    const flows = definition.authFlows;
    const validity = definition.tokenValidity;
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: `${options.name}-web`,
        GenerateSecret: false,
        ExplicitAuthFlows: [
          ...(flows.userSrp ? [ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH] : []),
          ...(flows.userPassword ? [ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH] : []),
          ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH,
        ],
        IdTokenValidity: validity.idTokenMinutes,
        AccessTokenValidity: validity.accessTokenMinutes,
        RefreshTokenValidity: validity.refreshTokenDays,
        TokenValidityUnits: { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "days" },
      }),
    );
    if (!UserPoolClient?.ClientId) {
      throw new Error("cognito-local created an app client without an id");
    }
    userPoolClientId = UserPoolClient.ClientId;
  }

  const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const existing = new Set(Groups.map((g) => g.GroupName));
  for (const group of definition.groups) {
    if (existing.has(group.name)) continue;
    await client.send(
      new CreateGroupCommand({
        UserPoolId: userPoolId,
        GroupName: group.name,
        Description: group.description,
        Precedence: group.precedence,
      }),
    );
  }

  writeFileSync(
    options.stateFile,
    `${JSON.stringify({ userPoolId, userPoolClientId }, null, 2)}\n`,
  );
  return { userPoolId, userPoolClientId, created };
}
