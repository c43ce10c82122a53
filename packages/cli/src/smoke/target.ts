import { type Outputs, OutputsMissing, readOutputs } from "@localstays/local/outputs";
import { CliError } from "../errors.js";
import {
  FileSmokeUserStore,
  localSmokeUserFile,
  SmokeUserMissing,
  type SmokeUserStore,
  stageSmokeUserStore,
} from "../smoke-user/store.js";
import { readSstOutputs, type SstOutputs } from "../sst-outputs.js";
import { readStageOutputs } from "../stage-outputs.js";
import type { DashboardTarget } from "./dashboard.js";

/**
 * Where the smoke suite points: an API URL and, for the host round trip, a user and the user
 * pool app client to sign it in with. Three sources: a deployed stage (its stacks' outputs in
 * CloudFormation, see stage-outputs.ts; or an SST outputs file given with `--outputs`), the
 * local stack (`.localstays/outputs.json`, demo host included), or a bare `--url`.
 */
export interface SmokeOptions {
  stage?: string;
  url?: string;
  local?: boolean;
  outputs?: string;
  username?: string;
  password?: string;
  clientId?: string;
  region?: string;
  city?: string;
  webUrl?: string;
  photoTimeout?: number;
  requireUser?: boolean;
  timeout?: number;
  json?: boolean;
}

export interface SmokeUser {
  username: string;
  password: string;
}

export interface CognitoTarget {
  clientId: string;
  region: string;
  /** cognito-local's endpoint; undefined for AWS. */
  endpoint?: string;
}

export interface SmokeTarget {
  apiUrl: string;
  /** `stage dev1`, `local stack`, `url`: said in the first line of the report. */
  source: string;
  /** The stage the health check must report, so outputs of another deployment are caught. */
  expectedStage?: string;
  user?: SmokeUser;
  cognito?: CognitoTarget;
  /** The dashboard; undefined when the source does not know where it is. */
  web?: DashboardTarget;
}

type Env = Record<string, string | undefined>;

/** Where a deployed stage's outputs are looked up when `--outputs` does not name a file. */
export interface StageLookup {
  /** The fallback when CloudFormation cannot be asked; default `<repo>/.sst/outputs.json`. */
  sstOutputsFile?: string;
  log?: (line: string) => void;
  /** Where the stage's smoke user is stored; default its SSM parameter (smoke-user/store.ts). */
  smokeUserStore?: (stage: string, region: string) => SmokeUserStore;
}

type DemoUser = Outputs["DemoUsers"][number];

/** What one source (stage, local stack, bare URL) tells about the target. */
interface Source {
  apiUrl: string;
  source: string;
  expectedStage?: string;
  cognito?: CognitoTarget;
  /** What to pass when a user is given but the app client is unknown. */
  missingCognito: string;
  demoUsers?: readonly DemoUser[];
  demoHost?: DemoUser;
  /** Where `localstays smoke-user` stored the source's smoke user, if it has a store. */
  smokeUserStore?: () => SmokeUserStore;
  web?: DashboardTarget;
}

function readLocalOutputs(file: string | undefined): Outputs {
  try {
    return readOutputs(file);
  } catch (error) {
    if (error instanceof OutputsMissing) throw new CliError(error.message);
    throw error;
  }
}

/** A user pool id is `<region>_<id>`: the pool's region, with no other lookup. */
export function regionOfPool(userPoolId: string | undefined): string | undefined {
  return userPoolId?.match(/^([a-z]{2}(?:-[a-z]+)+-\d+)_/)?.[1];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value : undefined;
}

/**
 * The stage's outputs: from the `--outputs` file when one is named (and nothing else), else
 * from CloudFormation. With `--url` only the app client is looked up, and a failed lookup
 * leaves it unknown (it is needed only to sign a user in).
 */
async function stageOutputs(
  stage: string,
  region: string,
  options: SmokeOptions,
  lookup: StageLookup,
): Promise<{ outputs: SstOutputs; from: string }> {
  if (options.outputs) {
    return { outputs: readSstOutputs(options.outputs, "or pass --url"), from: options.outputs };
  }
  const needApi = options.url === undefined;
  const needAuth = options.clientId === undefined;
  if (!needApi && !needAuth) return { outputs: {}, from: "--url and --client-id" };
  try {
    return await readStageOutputs({
      stage,
      region,
      // The dashboard's URL comes along with a full lookup; --url points at one API only.
      stacks: {
        ...(needApi ? { Api: ["ApiUrl"], Web: [] } : {}),
        ...(needAuth ? { Auth: [] } : {}),
      },
      otherwise: "or pass --url",
      fallbackFile: lookup.sstOutputsFile,
      log: lookup.log,
    });
  } catch (error) {
    if (needApi || !(error instanceof CliError)) throw error;
    lookup.log?.(`${error.message} Without it the user pool app client is unknown.`);
    return { outputs: {}, from: "the stage's outputs (unreadable)" };
  }
}

async function fromStage(
  stage: string,
  options: SmokeOptions,
  lookup: StageLookup,
): Promise<Source> {
  if (!/^[A-Za-z0-9-]+$/.test(stage)) {
    throw new CliError(`"${stage}" is not a stage name (letters, digits and dashes).`);
  }
  // Imported here: stacks/stage.ts loads aws-cdk-lib, which --url and --local do not need.
  const { stackName, stageSettings } = await import("../../../../stacks/stage.js");
  // The stage's region is its user pool's too; --region overrides both.
  const region = options.region ?? stageSettings(stage).region;
  const { outputs, from } = await stageOutputs(stage, region, options, lookup);
  const apiStack = stackName(stage, "Api");
  const authStack = stackName(stage, "Auth");
  const apiUrl = options.url ?? outputs[apiStack]?.ApiUrl;
  if (!apiUrl) {
    const has = Object.keys(outputs).join(", ") || "no stacks";
    throw new CliError(
      `${from} has no ApiUrl of ${apiStack} (it has ${has}): it describes another deployment. ` +
        `Deploy stage ${stage} first, leave out --outputs, or pass --url.`,
    );
  }
  const auth = outputs[authStack];
  const webUrl = outputs[stackName(stage, "Web")]?.WebUrl;
  const clientId = options.clientId ?? auth?.UserPoolClientId;
  return {
    apiUrl,
    source: `stage ${stage}`,
    expectedStage: stage,
    cognito: clientId
      ? { clientId, region: options.region ?? regionOfPool(auth?.UserPoolId) ?? region }
      : undefined,
    missingCognito: `${authStack}'s UserPoolClientId in ${from} (or --client-id and --region)`,
    smokeUserStore: () => (lookup.smokeUserStore ?? stageSmokeUserStore)(stage, region),
    // CloudFront sends the Web stack's headers policy, CSP included.
    web: webUrl ? { url: webUrl, csp: true } : undefined,
  };
}

function fromLocal(options: SmokeOptions): Source {
  const outputs = readLocalOutputs(options.outputs);
  const demoHost =
    outputs.DemoUsers.find((u) => !u.groups.includes("admins")) ?? outputs.DemoUsers[0];
  return {
    apiUrl: options.url ?? outputs.ApiUrl,
    source: "local stack",
    cognito: {
      clientId: options.clientId ?? outputs.UserPoolClientId,
      region: outputs.Region,
      endpoint: outputs.CognitoEndpoint,
    },
    demoUsers: outputs.DemoUsers,
    demoHost,
    smokeUserStore: () => new FileSmokeUserStore(localSmokeUserFile(options.outputs)),
    missingCognito: "",
    web: outputs.WebUrl ? { url: outputs.WebUrl, csp: outputs.WebMode === "build" } : undefined,
  };
}

function fromUrl(url: string, options: SmokeOptions, env: Env): Source {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    apiUrl: url,
    source: "url",
    cognito: options.clientId && region ? { clientId: options.clientId, region } : undefined,
    missingCognito: "--client-id and --region (or --stage, to read them from the stage's outputs)",
  };
}

export async function resolveSmokeTarget(
  options: SmokeOptions,
  env: Env = process.env,
  lookup: StageLookup = { log: (line) => process.stderr.write(`${line}\n`) },
): Promise<SmokeTarget> {
  if (options.stage && options.local) {
    throw new CliError("--stage and --local exclude each other: one API at a time.");
  }
  const stage = options.stage?.trim();
  let base: Source;
  if (stage) base = await fromStage(stage, options, lookup);
  else if (options.local) base = fromLocal(options);
  else if (options.url) base = fromUrl(options.url, options, env);
  else throw new CliError("Say which API to test: --stage <stage>, --url <api url> or --local.");

  let url: URL;
  try {
    url = new URL(base.apiUrl);
  } catch {
    throw new CliError(`"${base.apiUrl}" is not a URL (expected e.g. https://abc.execute-api...).`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CliError(`"${base.apiUrl}" is not an http(s) URL.`);
  }

  // SMOKE_* in the shell are a deployed stage's user and mean nothing to cognito-local.
  const userEnv = options.local && !stage ? {} : env;
  const given = [
    options.username,
    options.password,
    userEnv.SMOKE_USERNAME,
    userEnv.SMOKE_PASSWORD,
  ];
  const stored = given.some(nonEmpty) ? undefined : await storedUser(base, options, lookup);
  // The local stack signs in its demo host when it has no smoke user.
  const user = stored ?? resolveUser(options, userEnv, base);
  if (user && !base.cognito) {
    throw new CliError(`Signing in ${user.username} needs ${base.missingCognito}.`);
  }
  if (!user && options.requireUser) {
    throw new CliError(
      "--require-user: no test user. Run `localstays smoke-user` for the stage, pass --username and --password, or set SMOKE_USERNAME and SMOKE_PASSWORD.",
    );
  }
  return {
    apiUrl: base.apiUrl,
    source: base.source,
    expectedStage: base.expectedStage,
    user,
    cognito: user ? base.cognito : undefined,
    // A dashboard named on the command line is a deployed one: it must send its CSP.
    web: options.webUrl ? { url: options.webUrl, csp: true } : base.web,
  };
}

/**
 * The smoke user `localstays smoke-user` stored for the source. None stored: an error with
 * --require-user on a deployed stage (it says to run smoke-user), else no user (the local
 * stack then signs in its demo host; a stage skips the host round trip, and says why).
 */
async function storedUser(
  base: Source,
  options: SmokeOptions,
  lookup: StageLookup,
): Promise<SmokeUser | undefined> {
  if (!base.smokeUserStore) return undefined;
  const store = base.smokeUserStore();
  try {
    return await store.read();
  } catch (error) {
    if (options.requireUser && !base.demoHost) throw error;
    if (error instanceof SmokeUserMissing) {
      if (!base.demoHost) lookup.log?.(`${error.message} The host round trip is skipped.`);
      return undefined;
    }
    throw error;
  }
}

function resolveUser(
  options: SmokeOptions,
  env: Env,
  { demoUsers = [], demoHost }: Pick<Source, "demoUsers" | "demoHost">,
): SmokeUser | undefined {
  const username = nonEmpty(options.username) ?? nonEmpty(env.SMOKE_USERNAME);
  const demo = username
    ? demoUsers.find((u) => u.email.toLowerCase() === username.toLowerCase())
    : demoHost;
  const password = nonEmpty(options.password) ?? nonEmpty(env.SMOKE_PASSWORD) ?? demo?.password;
  const name = username ?? demo?.email;
  if (!name && !password) return undefined;
  if (!name) throw new CliError("A password without a user: pass --username or SMOKE_USERNAME.");
  if (!password) {
    throw new CliError(`No password for ${name}: pass --password or set SMOKE_PASSWORD.`);
  }
  return { username: name, password };
}
