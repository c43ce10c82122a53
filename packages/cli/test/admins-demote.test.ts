import {
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { demoteAdmin } from "../src/hosts/demote.js";

/**
 * `localstays admins demote`: cognito-local has no AdminUserGlobalSignOut, so Cognito is
 * mocked with responses in the API's shape, failures included.
 */
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: "eu-north-1" });
const POOL = "eu-north-1_AbCdEf123";
const NOW = new Date("2026-12-02T12:00:00Z");
afterEach(() => cognitoMock.reset());

const sent = () => cognitoMock.calls().map((call) => call.args[0].constructor.name);

function givenUser(groups: string[]) {
  cognitoMock
    .on(ListUsersCommand, { UserPoolId: POOL, Filter: 'email = "ada@example.com"' })
    .resolves({ Users: [{ Username: "7c1e-sub", Attributes: [] }] });
  cognitoMock
    .on(AdminListGroupsForUserCommand, { UserPoolId: POOL, Username: "7c1e-sub" })
    .resolves({ Groups: groups.map((GroupName) => ({ GroupName })) });
  cognitoMock.on(AdminRemoveUserFromGroupCommand).resolves({});
  cognitoMock.on(AdminUserGlobalSignOutCommand).resolves({});
}

describe("demoting an admin", () => {
  it("removes the admins group, then signs the user out everywhere, and says until when old tokens work", async () => {
    givenUser(["admins", "hosts"]);
    const demotion = await demoteAdmin(client, POOL, "ada@example.com", NOW);
    expect(sent()).toEqual([
      "ListUsersCommand",
      "AdminListGroupsForUserCommand",
      "AdminRemoveUserFromGroupCommand",
      "AdminUserGlobalSignOutCommand",
    ]);
    expect(cognitoMock.commandCalls(AdminRemoveUserFromGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: "7c1e-sub",
      GroupName: "admins",
    });
    expect(demotion).toEqual({
      username: "7c1e-sub",
      email: "ada@example.com",
      wasAdmin: true,
      // The app client's access token lifetime (core's UserPoolDefinition): 60 minutes.
      tokensValidUntil: "2026-12-02T13:00:00.000Z",
    });
  });

  it("still signs out a user who is no longer an admin (a second run after a failed sign-out)", async () => {
    givenUser(["hosts"]);
    const demotion = await demoteAdmin(client, POOL, "ada@example.com", NOW);
    expect(demotion.wasAdmin).toBe(false);
    expect(cognitoMock.commandCalls(AdminRemoveUserFromGroupCommand)).toHaveLength(0);
    expect(cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(1);
  });

  it("fails loudly when the sign-out fails, after the group is gone (so a rerun finishes it)", async () => {
    givenUser(["admins"]);
    cognitoMock
      .on(AdminUserGlobalSignOutCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" }));
    await expect(demoteAdmin(client, POOL, "ada@example.com", NOW)).rejects.toThrow(
      "Rate exceeded",
    );
    expect(cognitoMock.commandCalls(AdminRemoveUserFromGroupCommand)).toHaveLength(1);
  });

  it("refuses an unknown e-mail, and an address that would break out of the ListUsers filter", async () => {
    cognitoMock.on(ListUsersCommand).resolves({ Users: [] });
    await expect(demoteAdmin(client, POOL, "nobody@example.com")).rejects.toThrow(CliError);
    await expect(demoteAdmin(client, POOL, 'x" or email ^= "')).rejects.toThrow(CliError);
    expect(cognitoMock.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });
});
