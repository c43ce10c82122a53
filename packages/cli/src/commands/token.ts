import { type Outputs, OutputsMissing, readOutputs } from "@localstays/local/outputs";
import { ChallengeRequired, signIn } from "@localstays/local/sign-in";
import type { Command } from "commander";
import { CliError, isConnectionRefused } from "../errors.js";

/**
 * `localstays token --email <user> [--password <pw>]`: signs in against the local stack's
 * cognito-local (USER_PASSWORD_AUTH, as the app client allows) and prints only the token,
 * so it composes: curl -H "Authorization: Bearer $(pnpm -s localstays token --email ...)"
 */
export interface TokenOptions {
  email: string;
  password?: string;
  /** Print the ID token instead (the API refuses it; for looking at profile claims). */
  id?: boolean;
  /** Defaults to `<repo>/.localstays/outputs.json`. */
  outputs?: string;
}

function loadOutputs(file: string | undefined): Outputs {
  try {
    return readOutputs(file);
  } catch (error) {
    if (error instanceof OutputsMissing) throw new CliError(error.message);
    throw error;
  }
}

export async function issueToken(options: TokenOptions): Promise<string> {
  const outputs = loadOutputs(options.outputs);
  const demo = outputs.DemoUsers.find((u) => u.email.toLowerCase() === options.email.toLowerCase());
  const demoList = outputs.DemoUsers.map((u) => u.email).join(", ");
  const password = options.password ?? demo?.password;
  if (!password) {
    throw new CliError(
      `${options.email} is not a demo user, so pass --password. Demo users: ${demoList}.`,
    );
  }
  try {
    const tokens = await signIn(outputs, options.email, password);
    return options.id ? tokens.IdToken : tokens.AccessToken;
  } catch (error) {
    if (error instanceof ChallengeRequired) throw new CliError(error.message);
    if (isConnectionRefused(error)) {
      throw new CliError(
        `The local stack is not running: nothing answers at ${outputs.CognitoEndpoint}. Start it with \`pnpm start\`.`,
      );
    }
    const name = (error as Error).name;
    if (["UserNotFoundException", "NotAuthorizedException"].includes(name)) {
      throw new CliError(
        `Cannot sign in as ${options.email} (${(error as Error).message}). ` +
          `Demo users: ${demoList}; others need their own --password.`,
      );
    }
    if (name === "ResourceNotFoundException") {
      throw new CliError(
        `cognito-local at ${outputs.CognitoEndpoint} does not know the app client in the outputs file: ` +
          "is another stack running on its port? Restart with `pnpm start`.",
      );
    }
    throw error;
  }
}

export function registerTokenCommand(program: Command): void {
  program
    .command("token")
    .description(
      "Print an access token of a local user, as the API takes it (demo users need no password)",
    )
    .requiredOption("--email <email>", "the user's email address")
    .option("--password <password>", "the user's password (demo users: from outputs.json)")
    .option("--id", "print the ID token instead (the API refuses ID tokens)")
    .option("--outputs <file>", "the local stack's outputs.json")
    .action(async (options: TokenOptions) => {
      process.stdout.write(`${await issueToken(options)}\n`);
    });
}
