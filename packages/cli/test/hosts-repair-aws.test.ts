import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { Host } from "@localstays/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { repairHosts } from "../src/hosts/repair.js";
import { findUserPoolId } from "../src/hosts/user-pool.js";

/**
 * The AWS side of `hosts repair`, which cognito-local does not exercise: ListUserPools,
 * ListUsers and ListUsersInGroup page by token (cognito-local answers in one page), and the
 * pool is found by name. Cognito is mocked with responses in the recorded shape; the Host
 * records are real (this test file's table in DynamoDB Local).
 */
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: "eu-north-1" });
const POOL = "eu-north-1_AbCdEf123";
afterEach(() => cognitoMock.reset());

function user(username: string, status: string, attributes: Record<string, string>): UserType {
  return {
    Username: username,
    UserStatus: status as UserType["UserStatus"],
    Enabled: true,
    UserCreateDate: new Date("2026-11-30T10:00:00Z"),
    UserLastModifiedDate: new Date("2026-11-30T10:00:00Z"),
    Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  };
}

const inputs = (command: Parameters<typeof cognitoMock.commandCalls>[0]) =>
  cognitoMock.commandCalls(command).map((call) => ({ ...call.args[0].input }));

describe("the stage's user pool", () => {
  it("is found by name across ListUserPools pages", async () => {
    // Each page answers only the token that asks for it, so a paginator that dropped the
    // token would never see page 2 (the SDK passes one input object, changed in place).
    cognitoMock.on(ListUserPoolsCommand).resolves({
      UserPools: [{ Id: "eu-north-1_Other1", Name: "localstays-dev2" }],
      NextToken: "page-2",
    });
    cognitoMock
      .on(ListUserPoolsCommand, { NextToken: "page-2" })
      .resolves({ UserPools: [{ Id: POOL, Name: "localstays-dev1" }] });
    expect(await findUserPoolId(client, "localstays-dev1")).toBe(POOL);
    expect(cognitoMock.commandCalls(ListUserPoolsCommand)).toHaveLength(2);
  });

  it("is refused when no pool or two pools have the name", async () => {
    cognitoMock.on(ListUserPoolsCommand).resolves({ UserPools: [{ Id: POOL, Name: "other" }] });
    await expect(findUserPoolId(client, "localstays-dev1")).rejects.toThrow(
      /no user pool named localstays-dev1 in eu-north-1/,
    );
    cognitoMock.on(ListUserPoolsCommand).resolves({
      UserPools: [
        { Id: POOL, Name: "localstays-dev1" },
        { Id: "eu-north-1_Twin", Name: "localstays-dev1" },
      ],
    });
    await expect(findUserPoolId(client, "localstays-dev1")).rejects.toBeInstanceOf(CliError);
  });

  it("passes on an access error as it is", async () => {
    cognitoMock.on(ListUserPoolsCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: cognito-idp:ListUserPools"), {
        name: "AccessDeniedException",
      }),
    );
    await expect(findUserPoolId(client, "localstays-dev1")).rejects.toThrow(/not authorized/);
  });
});

describe("repairHosts on AWS", () => {
  /** Two pages of users: enrolled, unconfirmed, two without a host, one without the group. */
  async function twoPagesOfUsers() {
    const enrolled = crypto.randomUUID();
    await Host.register({ cognitoSub: enrolled, email: "has@example.com" });
    const noGroup = crypto.randomUUID();
    await Host.register({ cognitoSub: noGroup, email: "nogroup@example.com" });
    const orphan = crypto.randomUUID();
    const orphanTwo = crypto.randomUUID();
    // As above: each page answers only its own token.
    cognitoMock
      .on(ListUsersInGroupCommand, { GroupName: "hosts" })
      .resolves({ Users: [user("u-has", "CONFIRMED", {})], NextToken: "members-2" });
    cognitoMock
      .on(ListUsersInGroupCommand, { GroupName: "hosts", NextToken: "members-2" })
      .resolves({ Users: [user("u-admin-made", "FORCE_CHANGE_PASSWORD", {})] });
    cognitoMock.on(ListUsersCommand, { UserPoolId: POOL }).resolves({
      Users: [
        user("u-has", "CONFIRMED", { sub: enrolled, email: "has@example.com" }),
        user("u-pending", "UNCONFIRMED", { sub: crypto.randomUUID(), email: "p@example.com" }),
        user("u-orphan", "CONFIRMED", { sub: orphan, email: "josé@example.com", name: " " }),
      ],
      PaginationToken: "users-2",
    });
    cognitoMock.on(ListUsersCommand, { UserPoolId: POOL, PaginationToken: "users-2" }).resolves({
      Users: [
        user("u-admin-made", "FORCE_CHANGE_PASSWORD", {
          sub: crypto.randomUUID(),
          email: "f@x.y",
        }),
        user("u-orphan-2", "CONFIRMED", {
          sub: orphanTwo,
          email: "two@example.com",
          name: "Two",
        }),
        user("u-no-group", "CONFIRMED", { sub: noGroup, email: "nogroup@example.com" }),
      ],
    });
    return { orphan, orphanTwo };
  }

  it("lists on a dry run, page after page, without writing", async () => {
    const { orphan } = await twoPagesOfUsers();
    const report = await repairHosts({ cognito: client, userPoolId: POOL, apply: false });
    expect(report).toMatchObject({ mode: "dry-run", confirmedUsers: 4, enrolled: 1 });
    const wouldRepair = (
      username: string,
      email: string,
      displayName: string,
      missing: string[],
    ) => ({
      username,
      email,
      displayName,
      missing,
      outcome: "would-repair",
    });
    expect(report.repairs).toEqual([
      wouldRepair("u-orphan", "josé@example.com", "josé", ["host", "group"]),
      wouldRepair("u-orphan-2", "two@example.com", "Two", ["host", "group"]),
      wouldRepair("u-no-group", "nogroup@example.com", "nogroup", ["group"]),
    ]);
    expect(cognitoMock.commandCalls(ListUsersCommand)).toHaveLength(2);
    expect(cognitoMock.commandCalls(ListUsersInGroupCommand)).toHaveLength(2);
    expect(cognitoMock.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    expect(await Host.bySub(orphan)).toBeUndefined();
  });

  it("enrols them on --apply, and reports a user it could not repair", async () => {
    const { orphan, orphanTwo } = await twoPagesOfUsers();
    cognitoMock.on(AdminAddUserToGroupCommand).resolves({});
    cognitoMock
      .on(AdminAddUserToGroupCommand, { Username: "u-orphan-2" })
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" }));
    const report = await repairHosts({ cognito: client, userPoolId: POOL, apply: true });
    const host = await Host.bySub(orphan);
    expect(host).toMatchObject({ email: "josé@example.com", displayName: "josé" });
    expect(report.repairs).toEqual([
      expect.objectContaining({ username: "u-orphan", outcome: "repaired", hostId: host?.hostId }),
      expect.objectContaining({
        username: "u-orphan-2",
        outcome: "failed",
        error: "Rate exceeded",
      }),
      expect.objectContaining({ username: "u-no-group", outcome: "repaired", missing: ["group"] }),
    ]);
    expect(inputs(AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: "u-orphan", GroupName: "hosts" },
      { UserPoolId: POOL, Username: "u-orphan-2", GroupName: "hosts" },
      { UserPoolId: POOL, Username: "u-no-group", GroupName: "hosts" },
    ]);
    // The Host record was written before the group failed; a re-run sees the group missing.
    expect(await Host.bySub(orphanTwo)).toMatchObject({ displayName: "Two" });
  });
});
