import { Duration } from "aws-cdk-lib";
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPoolEmail } from "aws-cdk-lib/aws-cognito";
import { Policy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { NagSuppressions } from "cdk-nag";
import { Cognito, type CognitoUserPoolTriggers, type StackContext, use } from "sst/constructs";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { UserPoolDefinition, userPoolName } from "../packages/core/src/user-pool.js";
import {
  type CognitoTriggerName,
  cognitoTriggers,
} from "../packages/functions/src/auth/triggers.js";
import {
  mailConfigurationSetName,
  triggerFunctionName,
} from "../packages/functions/src/function-names.js";
import { Data } from "./Data.js";
import { Mail } from "./Mail.js";
import { suppressFunctionDefaults } from "./nag.js";
import { stageSettings } from "./stage.js";
import { stageTable } from "./table-setting.js";

// The trigger table may only name triggers that SST's Cognito construct knows.
const triggerNames = Object.keys(
  cognitoTriggers,
) as CognitoTriggerName[] satisfies (keyof CognitoUserPoolTriggers)[];

export function Auth({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { grantReadWriteData } = use(Data);
  const { passwordPolicy, authFlows, tokenValidity, groups } = UserPoolDefinition;
  const { mail } = settings;
  const { identity } = use(Mail);
  // Cognito's own mail (50 a day, from no-reply@verificationemail.com) until the stage says
  // its SES identity is verified: a pool set to DEVELOPER with an unverified identity cannot
  // send a confirmation code, and sign-ups would stop (docs/operations.md, SES setup).
  const email = mail.sesSending
    ? UserPoolEmail.withSES({
        fromEmail: mail.fromAddress,
        fromName: mail.fromName,
        sesVerifiedDomain: mail.domain,
        configurationSetName: mailConfigurationSetName(app.stage),
      })
    : UserPoolEmail.withCognito();

  const cognito = new Cognito(stack, "Auth", {
    login: UserPoolDefinition.signInWithEmail ? ["email"] : ["username"],
    // Tokens go to our own API only; no AWS credentials are handed to browsers.
    identityPoolFederation: false,
    defaults: {
      function: {
        // The stage's table setting (stacks/table-setting.ts): a restore cuts over here too.
        environment: {
          TABLE_NAME: stageTable(stack, app.stage).name,
        } satisfies Partial<FunctionEnvironment>,
      },
    },
    triggers: Object.fromEntries(
      triggerNames.map((name) => [
        name,
        {
          handler: cognitoTriggers[name],
          functionName: triggerFunctionName(app.stage, name),
        },
      ]),
    ),
    cdk: {
      userPool: {
        userPoolName: userPoolName(app.stage),
        selfSignUpEnabled: true,
        autoVerify: { email: true },
        standardAttributes: { email: { required: true, mutable: true } },
        passwordPolicy: {
          minLength: passwordPolicy.minimumLength,
          requireLowercase: passwordPolicy.requireLowercase,
          requireUppercase: passwordPolicy.requireUppercase,
          requireDigits: passwordPolicy.requireDigits,
          requireSymbols: passwordPolicy.requireSymbols,
        },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        email,
        mfa: Mfa[UserPoolDefinition.mfa],
        mfaSecondFactor: { otp: true, sms: false },
        deletionProtection: settings.protectData,
        removalPolicy: settings.removalPolicy,
      },
      userPoolClient: {
        authFlows: { userSrp: authFlows.userSrp, userPassword: authFlows.userPassword },
        generateSecret: false,
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.minutes(tokenValidity.idTokenMinutes),
        accessTokenValidity: Duration.minutes(tokenValidity.accessTokenMinutes),
        refreshTokenValidity: Duration.days(tokenValidity.refreshTokenDays),
      },
    },
  });

  for (const group of groups) {
    new CfnUserPoolGroup(stack, `Group-${group.name}`, {
      userPoolId: cognito.userPoolId,
      groupName: group.name,
      description: group.description,
      precedence: group.precedence,
    });
  }

  for (const name of triggerNames) {
    const fn = cognito.getFunction(name);
    if (!fn) throw new Error(`Cognito did not create the ${name} trigger`);
    // CustomMessage only renders core's templates: no table.
    if (name !== "customMessage") grantReadWriteData(fn);
    suppressFunctionDefaults(fn);
  }
  // The pool sends from the identity: it must exist (and be verified) before the pool uses it.
  if (mail.sesSending) cognito.cdk.userPool.node.addDependency(identity);

  const postConfirmation = cognito.getFunction("postConfirmation");
  if (!postConfirmation?.role) throw new Error("The trigger table has no postConfirmation trigger");
  // The pool's ARN in the trigger's own (default) policy would close a cycle: the pool names
  // the trigger, the trigger waits for its role's default policy, that policy would name the
  // pool. A policy of its own, attached to the role once the pool exists, is waited for by
  // nothing the pool needs, so the statement can name this stage's pool alone.
  new Policy(stack, "PostConfirmationGroupPolicy", {
    roles: [postConfirmation.role],
    statements: [
      new PolicyStatement({
        actions: ["cognito-idp:AdminAddUserToGroup"],
        resources: [cognito.cdk.userPool.userPoolArn],
      }),
    ],
  });
  NagSuppressions.addResourceSuppressions(cognito.cdk.userPool, [
    {
      id: "AwsSolutions-COG1",
      reason:
        "Core's UserPoolDefinition (shared with the local stack) requires 10+ characters with " +
        "upper, lower and digits but no symbol: NIST SP 800-63B advises length over symbol rules.",
    },
    {
      id: "AwsSolutions-COG2",
      reason:
        "MFA is optional (TOTP) rather than required: hosts sign up themselves and sign in with " +
        "a password; admin rights need TOTP where stacks/stage.ts sets adminTotpRequired (the API checks).",
    },
    {
      id: "AwsSolutions-COG3",
      reason:
        "Threat protection (AdvancedSecurityMode ENFORCED) needs Cognito's Plus feature plan, " +
        "billed per monthly active user; enabling it is a pricing decision for prod launch.",
    },
  ]);

  stack.addOutputs({
    UserPoolId: cognito.userPoolId,
    UserPoolClientId: cognito.userPoolClientId,
  });
  return { cognito };
}
