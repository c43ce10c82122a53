import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from "@aws-sdk/client-ssm";
import { HOST_GROUP, Host } from "@localstays/core";
import { UserPoolDefinition } from "@localstays/core/user-pool";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CliError } from "../src/errors.js";
import { resolveSmokeTarget } from "../src/smoke/target.js";
import { ensureSmokeUser } from "../src/smoke-user/bootstrap.js";
import { generatePassword } from "../src/smoke-user/password.js";
import { SmokeUserMissing, SsmSmokeUserStore } from "../src/smoke-user/store.js";

/**
 * The AWS side of `localstays smoke-user` and of `pnpm smoke --stage` reading its result:
 * Cognito and SSM are mocked with responses in the recorded shape (there is no SSM emulator);
 * the Host records are real (this test file's table in DynamoDB Local).
 */
const cognitoMock = mockClient(CognitoIdentityProviderClient);
const ssmMock = mockClient(SSMClient);
const cognito = new CognitoIdentityProviderClient({ region: "eu-north-1" });
const ssm = new SSMClient({ region: "eu-north-1" });
const POOL = "eu-north-1_AbCdEf123";
const EMAIL = "smoke+staging@localstays.com";
// An e-mail sign-in pool names its users by a generated id, not by the e-mail.
const USERNAME = "7f3e9c2a-5b1d-4e8f-9a6c-0d2b4f6e8a1c";
const SUB = "a41b7e2c-3d9f-4c58-b6e1-2f0a8d7c5e93";
const PARAMETER = "/localstays/staging/smoke-user";
const dir = mkdtempSync(join(tmpdir(), "localstays-smoke-user-"));
afterEach(() => {
  cognitoMock.reset();
  ssmMock.reset();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = { httpStatusCode: 200, requestId: "0c9d1b6e-52a7-4f3e-8d21-6a4b9e7f1c05" };
const attributes = [
  { Name: "sub", Value: SUB },
  { Name: "email", Value: EMAIL },
  { Name: "email_verified", Value: "true" },
  { Name: "name", Value: "Smoke test" },
];
const cognitoError = (name: string, message: string) =>
  new CognitoIdentityProviderServiceException({
    name,
    message,
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
  });
const inputs = <T>(mock: { commandCalls: (c: T) => { args: [{ input: unknown }] }[] }, c: T) =>
  mock.commandCalls(c).map((call) => call.args[0].input);

function poolAccepts() {
  cognitoMock
    .on(AdminSetUserPasswordCommand)
    .resolves({ $metadata: meta })
    .on(AdminAddUserToGroupCommand)
    .resolves({ $metadata: meta });
  ssmMock.on(PutParameterCommand).resolves({ $metadata: meta, Version: 1, Tier: "Standard" });
}

describe("ensureSmokeUser on AWS", () => {
  const store = new SsmSmokeUserStore(ssm, "staging");

  it("creates the user without an invitation, sets a permanent password, enrols it and stores it encrypted with the stage's key", async () => {
    cognitoMock.on(AdminCreateUserCommand).resolves({
      $metadata: meta,
      User: {
        Username: USERNAME,
        Attributes: attributes,
        Enabled: true,
        UserStatus: "FORCE_CHANGE_PASSWORD",
        UserCreateDate: new Date("2026-12-02T13:00:00Z"),
        UserLastModifiedDate: new Date("2026-12-02T13:00:00Z"),
      },
    });
    poolAccepts();
    const result = await ensureSmokeUser({ cognito, userPoolId: POOL, stage: "staging", store });
    expect(result).toMatchObject({ outcome: "created", username: EMAIL, where: PARAMETER });

    expect(inputs(cognitoMock, AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: EMAIL,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: EMAIL },
          { Name: "email_verified", Value: "true" },
          { Name: "name", Value: "Smoke test" },
        ],
      },
    ]);
    const [set] = inputs(cognitoMock, AdminSetUserPasswordCommand) as { Password: string }[];
    expect(set).toEqual({
      UserPoolId: POOL,
      Username: USERNAME,
      Password: expect.any(String),
      Permanent: true,
    });
    expect(inputs(cognitoMock, AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: USERNAME, GroupName: HOST_GROUP },
    ]);
    expect(await Host.bySub(SUB)).toMatchObject({ hostId: result.hostId, email: EMAIL });
    expect(inputs(ssmMock, PutParameterCommand)).toEqual([
      {
        Name: PARAMETER,
        Description: "Localstays staging: the smoke user (localstays smoke-user)",
        Value: JSON.stringify({ username: EMAIL, password: set?.Password }),
        Type: "SecureString",
        KeyId: "alias/localstays-staging",
        Overwrite: true,
      },
    ]);
  });

  it("rotates an existing user's password (UsernameExistsException), same host, overwriting the parameter", async () => {
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(
        cognitoError("UsernameExistsException", "An account with the given email already exists."),
      )
      .on(AdminGetUserCommand)
      .resolves({
        $metadata: meta,
        Username: USERNAME,
        UserAttributes: attributes,
        UserStatus: "CONFIRMED",
        Enabled: true,
      });
    poolAccepts();
    const host = await Host.bySub(SUB);
    const result = await ensureSmokeUser({ cognito, userPoolId: POOL, stage: "staging", store });
    expect(result).toMatchObject({ outcome: "rotated", username: EMAIL, hostId: host?.hostId });
    expect(inputs(cognitoMock, AdminGetUserCommand)).toEqual([
      { UserPoolId: POOL, Username: EMAIL },
    ]);
    expect(inputs(cognitoMock, AdminSetUserPasswordCommand)).toMatchObject([
      { Username: USERNAME, Permanent: true },
    ]);
    expect(inputs(ssmMock, PutParameterCommand)).toMatchObject([
      { Name: PARAMETER, Overwrite: true },
    ]);
  });

  it("stores nothing when Cognito refuses the password, and passes the refusal on", async () => {
    cognitoMock
      .on(AdminCreateUserCommand)
      .rejects(
        cognitoError("UsernameExistsException", "An account with the given email already exists."),
      )
      .on(AdminGetUserCommand)
      .resolves({ $metadata: meta, Username: USERNAME, UserAttributes: attributes })
      .on(AdminSetUserPasswordCommand)
      .rejects(cognitoError("InvalidPasswordException", "Password does not conform to policy"));
    await expect(
      ensureSmokeUser({ cognito, userPoolId: POOL, stage: "staging", store }),
    ).rejects.toThrow(/does not conform/);
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
  });
});

describe("the smoke user's SSM parameter", () => {
  const store = new SsmSmokeUserStore(ssm, "staging");

  it("is read decrypted", async () => {
    ssmMock.on(GetParameterCommand).resolves({
      $metadata: meta,
      Parameter: {
        Name: PARAMETER,
        Type: "SecureString",
        Value: JSON.stringify({ username: EMAIL, password: "Xy7-secret-Abc-123" }),
        Version: 3,
        ARN: `arn:aws:ssm:eu-north-1:041608526793:parameter${PARAMETER}`,
        DataType: "text",
      },
    });
    expect(await store.read()).toEqual({ username: EMAIL, password: "Xy7-secret-Abc-123" });
    expect(inputs(ssmMock, GetParameterCommand)).toEqual([
      { Name: PARAMETER, WithDecryption: true },
    ]);
  });

  it("missing, says to run smoke-user first", async () => {
    ssmMock
      .on(GetParameterCommand)
      .rejects(new ParameterNotFound({ message: "", $metadata: { httpStatusCode: 400 } }));
    const read = store.read();
    await expect(read).rejects.toBeInstanceOf(SmokeUserMissing);
    await expect(read).rejects.toThrow(
      `Stage staging has no smoke user (nothing at ${PARAMETER}): run \`localstays smoke-user --stage staging\` first.`,
    );
  });

  it("unreadable (no kms:Decrypt), names the call", async () => {
    ssmMock.on(GetParameterCommand).rejects(
      new SSMServiceException({
        name: "AccessDeniedException",
        message:
          "User: arn:aws:sts::041608526793:assumed-role/dev/ana is not authorized to perform: kms:Decrypt",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(store.read()).rejects.toThrow(
      new RegExp(
        `^The current AWS identity may not call ssm:GetParameter on ${PARAMETER} in eu-north-1`,
      ),
    );
  });
});

describe("pnpm smoke --stage", () => {
  const options = {
    stage: "staging",
    url: "https://k3x9q2.execute-api.eu-north-1.amazonaws.com",
    clientId: "4kq1s6hd8v0c2mb7rj5ne3fa9t",
  };
  const lookup = (log: string[] = []) => ({
    log: (line: string) => log.push(line),
    smokeUserStore: (stage: string, region: string) => {
      expect(region).toBe("eu-north-1");
      return new SsmSmokeUserStore(ssm, stage);
    },
  });

  it("signs in as the stored smoke user when no user is given", async () => {
    ssmMock.on(GetParameterCommand, { Name: PARAMETER }).resolves({
      $metadata: meta,
      Parameter: {
        Name: PARAMETER,
        Type: "SecureString",
        Value: `{"username":"${EMAIL}","password":"P4ss-word-Xy"}`,
      },
    });
    const target = await resolveSmokeTarget({ ...options, requireUser: true }, {}, lookup());
    expect(target.user).toEqual({ username: EMAIL, password: "P4ss-word-Xy" });
  });

  it("prefers a user given on the command line or in SMOKE_*, and then reads nothing", async () => {
    const env = { SMOKE_USERNAME: "other@example.com", SMOKE_PASSWORD: "Other-pass-1" };
    const target = await resolveSmokeTarget(options, env, lookup());
    expect(target.user?.username).toBe("other@example.com");
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it("without a smoke user: --require-user says to run smoke-user; otherwise the round trip is skipped, with the reason", async () => {
    ssmMock
      .on(GetParameterCommand)
      .rejects(new ParameterNotFound({ message: "", $metadata: { httpStatusCode: 400 } }));
    await expect(
      resolveSmokeTarget({ ...options, requireUser: true }, {}, lookup()),
    ).rejects.toThrow(/run `localstays smoke-user --stage staging` first/);
    const log: string[] = [];
    const target = await resolveSmokeTarget(options, {}, lookup(log));
    expect(target.user).toBeUndefined();
    expect(log).toEqual([
      expect.stringMatching(/has no smoke user.*The host round trip is skipped\.$/),
    ]);
    await expect(
      resolveSmokeTarget({ ...options, requireUser: true }, {}, lookup()),
    ).rejects.toBeInstanceOf(CliError);
  });
});

describe("generatePassword", () => {
  it("meets the pool's policy, and differs every time", () => {
    const policy = UserPoolDefinition.passwordPolicy;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password.length).toBeGreaterThanOrEqual(policy.minimumLength);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/\d/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
    expect(generatePassword({ ...policy, requireSymbols: true })).toMatch(/[^A-Za-z0-9]/);
  });
});
