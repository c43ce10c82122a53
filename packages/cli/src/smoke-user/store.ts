import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  GetParameterCommand,
  ParameterType,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { APP_NAME } from "@localstays/core/app";
import { dataPaths, defaultDataDir } from "@localstays/local/paths";
import { awsCall } from "../aws-errors.js";
import { CliError } from "../errors.js";

/**
 * Where a stage's smoke user (`localstays smoke-user`) keeps its credentials, and where
 * `pnpm smoke` finds them: one interface, two places. AWS stages: an SSM SecureString
 * encrypted with the stage's KMS key. The local stack: a file in its data directory, because
 * there is no SSM emulator on npm.
 */
export interface SmokeCredentials {
  username: string;
  password: string;
}

export interface SmokeUserStore {
  /** What to print: the parameter's name or the file's path (never the password). */
  readonly where: string;
  /** Overwrites what is stored: every run of `smoke-user` rotates the password. */
  write(credentials: SmokeCredentials): Promise<void>;
  /** Throws SmokeUserMissing when `smoke-user` has not run for the stage. */
  read(): Promise<SmokeCredentials>;
}

export class SmokeUserMissing extends CliError {
  override name = "SmokeUserMissing";
}

const missing = (stage: string, where: string) =>
  new SmokeUserMissing(
    `Stage ${stage} has no smoke user (nothing at ${where}): run \`localstays smoke-user --stage ${stage}\` first.`,
  );

function parseCredentials(text: string, where: string): SmokeCredentials {
  let value: Partial<SmokeCredentials>;
  try {
    value = JSON.parse(text) as Partial<SmokeCredentials>;
  } catch {
    throw new CliError(`${where} is not the JSON \`localstays smoke-user\` writes: run it again.`);
  }
  if (typeof value.username !== "string" || typeof value.password !== "string") {
    throw new CliError(
      `${where} has no username and password: run \`localstays smoke-user\` again.`,
    );
  }
  return { username: value.username, password: value.password };
}

/** The SSM parameter of a stage's smoke user: only the deploy role and admins may read it. */
export function smokeUserParameterName(stage: string): string {
  return `/${APP_NAME}/${stage}/smoke-user`;
}

/** The stage's KMS key (stacks/Params.ts creates it under this alias). */
export function stageKeyAlias(stage: string): string {
  return `alias/${APP_NAME}-${stage}`;
}

export class SsmSmokeUserStore implements SmokeUserStore {
  readonly where: string;

  constructor(
    private readonly ssm: SSMClient,
    private readonly stage: string,
  ) {
    this.where = smokeUserParameterName(stage);
  }

  private async region(): Promise<string> {
    return this.ssm.config.region();
  }

  async write(credentials: SmokeCredentials): Promise<void> {
    await awsCall(`ssm:PutParameter on ${this.where}`, await this.region(), () =>
      this.ssm.send(
        new PutParameterCommand({
          Name: this.where,
          Description: `Localstays ${this.stage}: the smoke user (localstays smoke-user)`,
          Value: JSON.stringify(credentials),
          Type: ParameterType.SECURE_STRING,
          KeyId: stageKeyAlias(this.stage),
          Overwrite: true,
        }),
      ),
    );
  }

  async read(): Promise<SmokeCredentials> {
    const region = await this.region();
    try {
      const { Parameter } = await awsCall(`ssm:GetParameter on ${this.where}`, region, () =>
        this.ssm.send(new GetParameterCommand({ Name: this.where, WithDecryption: true })),
      );
      if (Parameter?.Value === undefined) throw missing(this.stage, this.where);
      return parseCredentials(Parameter.Value, this.where);
    } catch (error) {
      if ((error as Error).name === "ParameterNotFound") throw missing(this.stage, this.where);
      throw error;
    }
  }
}

/** An AWS stage's store, in the stage's region with the caller's AWS credentials. */
export function stageSmokeUserStore(stage: string, region: string): SmokeUserStore {
  return new SsmSmokeUserStore(new SSMClient({ region }), stage);
}

/** The local smoke user's file: in the local stack's data directory, next to its outputs. */
export function localSmokeUserFile(outputsFile = dataPaths(defaultDataDir).outputs): string {
  return join(dirname(outputsFile), "smoke-user.json");
}

export class FileSmokeUserStore implements SmokeUserStore {
  constructor(readonly where: string) {}

  async write(credentials: SmokeCredentials): Promise<void> {
    writeFileSync(this.where, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    // `mode` applies to a new file only; a rotated one keeps whatever it had.
    chmodSync(this.where, 0o600);
  }

  async read(): Promise<SmokeCredentials> {
    let text: string;
    try {
      text = readFileSync(this.where, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw missing("local", this.where);
      throw error;
    }
    return parseCredentials(text, this.where);
  }
}
