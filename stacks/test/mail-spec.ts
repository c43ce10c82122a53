import { expect, it } from "vitest";
import type { SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import {
  actionsOf,
  appFunctions,
  only,
  type Resource,
  refersTo,
  resources,
  roleStatements,
  STAGE_STREAM_PARAMETER,
} from "./template.js";

/**
 * The stage's mail as the issue decides it, written out literally: the SES identity with
 * Easy DKIM, the configuration set and its bounce/complaint events to SNS, the outbox
 * delivery from the table's stream (filtered, retried, DLQ), least-privilege SendEmail, and
 * the user pool's e-mail configuration, which stays Cognito's own until the stage says SES.
 */
export function mailSpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage, mail } = expected;
  const configurationSetName = `localstays-${stage}`;
  const fn = (name: string) => {
    const found = appFunctions(ctx.result).find((f) => f.Properties.FunctionName === name);
    expect(found, name).toBeDefined();
    return found as Resource;
  };

  it(`verifies ${mail.domain} with Easy DKIM and prints its DKIM records`, () => {
    const identity = only(ctx.result, "AWS::SES::EmailIdentity", "Mail").Properties;
    expect(identity.EmailIdentity).toBe(mail.domain);
    expect(identity.DkimAttributes ?? { SigningEnabled: true }).toEqual({ SigningEnabled: true });
    expect(identity.DkimSigningAttributes?.DomainSigningPrivateKey).toBeUndefined();
    expect(identity.ConfigurationSetAttributes.ConfigurationSetName).toEqual(expect.anything());
    const outputs = ctx.result.stacks.Mail.template.Outputs ?? {};
    const dkim = Object.entries(outputs).filter(([name]) => name.startsWith("MailDkimRecord"));
    expect(dkim).toHaveLength(3);
    expect(outputs.MailDomain?.Value).toBe(mail.domain);
  });

  it("sends bounces and complaints from the configuration set to an encrypted SNS topic the suppression function reads", () => {
    const set = only(ctx.result, "AWS::SES::ConfigurationSet", "Mail").Properties;
    expect(set.Name).toBe(configurationSetName);
    expect(set.ReputationOptions).toEqual({ ReputationMetricsEnabled: true });
    expect(set.SuppressionOptions).toEqual({ SuppressedReasons: ["BOUNCE", "COMPLAINT"] });
    const destination = only(ctx.result, "AWS::SES::ConfigurationSetEventDestination", "Mail")
      .Properties.EventDestination;
    expect(destination.MatchingEventTypes.sort()).toEqual(["bounce", "complaint"]);
    const topic = resources(ctx.result, "AWS::SNS::Topic", "Mail").find((t) =>
      refersTo(destination.SnsDestination.TopicARN, t.logicalId),
    );
    expect(topic?.Properties.KmsMasterKeyId).toBeDefined();
    const subscription = only(ctx.result, "AWS::SNS::Subscription", "Mail").Properties;
    expect(subscription.Protocol).toBe("lambda");
    expect(JSON.stringify(subscription.Endpoint)).toContain(
      fn(`localstays-${stage}-ses-events`).logicalId,
    );
    const key = only(ctx.result, "AWS::KMS::Key").Properties.KeyPolicy.Statement;
    expect(key).toContainEqual(
      expect.objectContaining({ Principal: { Service: "ses.amazonaws.com" } }),
    );
  });

  it(`delivers new outbox items from the table's stream, ${mail.sesSending ? "switched on" : "switched off until SES is verified"}, with retries and a DLQ`, () => {
    const table = only(ctx.result, "AWS::DynamoDB::Table").Properties;
    expect(table.StreamSpecification).toEqual({ StreamViewType: "NEW_IMAGE" });
    const delivery = fn(`localstays-${stage}-outbox-delivery`);
    const mapping = resources(ctx.result, "AWS::Lambda::EventSourceMapping", "Mail").find((m) =>
      refersTo(m.Properties.FunctionName, delivery.logicalId),
    )?.Properties;
    expect(mapping).toMatchObject({
      // The stage's stream setting (dr-spec), which a restore's cut-over rewrites.
      EventSourceArn: { Ref: STAGE_STREAM_PARAMETER },
      StartingPosition: "TRIM_HORIZON",
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumRetryAttempts: 10,
      Enabled: mail.sesSending,
    });
    expect(JSON.parse(mapping?.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ["INSERT"],
      dynamodb: { NewImage: { __edb_e__: { S: ["outbox"] } } },
    });
    const dlq = resources(ctx.result, "AWS::SQS::Queue", "Mail").find(
      (q) => q.Properties.QueueName === `localstays-${stage}-outbox-dlq`,
    );
    expect(JSON.stringify(mapping?.DestinationConfig)).toContain(dlq?.logicalId);
    const env = delivery.Properties.Environment.Variables;
    expect(env.MAIL_FROM).toBe(`Localstays <${mail.from}>`);
    expect(env.MAIL_CONFIGURATION_SET).toBeDefined();
  });

  it("lets only the delivery send mail, only from the identity and through the configuration set", () => {
    const sending = appFunctions(ctx.result).filter((f) =>
      roleStatements(ctx.result, f).some((s) => actionsOf(s).some((a) => a.startsWith("ses:"))),
    );
    expect(sending.map((f) => f.Properties.FunctionName)).toEqual([
      `localstays-${stage}-outbox-delivery`,
    ]);
    const [statement, ...more] = roleStatements(ctx.result, sending[0] as Resource).filter((s) =>
      actionsOf(s).some((a) => a.startsWith("ses:")),
    );
    expect(more).toEqual([]);
    expect(actionsOf(statement as never)).toEqual(["ses:SendEmail"]);
    const resourcesText = JSON.stringify(statement?.Resource);
    // Both named by Ref: an identity's Ref is its domain, a configuration set's its name.
    const identity = only(ctx.result, "AWS::SES::EmailIdentity", "Mail");
    const set = only(ctx.result, "AWS::SES::ConfigurationSet", "Mail");
    expect(identity.Properties.EmailIdentity).toBe(mail.domain);
    expect(set.Properties.Name).toBe(configurationSetName);
    expect(resourcesText).toContain(`:identity/",{"Ref":"${identity.logicalId}"}`);
    expect(resourcesText).toContain(`:configuration-set/",{"Ref":"${set.logicalId}"}`);
    expect([statement?.Resource].flat()).toHaveLength(2);
  });

  it(
    mail.sesSending
      ? `has Cognito send through SES from ${mail.from} with the configuration set`
      : "keeps Cognito's own mail until the stage switches SES sending on",
    () => {
      const pool = only(ctx.result, "AWS::Cognito::UserPool").Properties;
      if (mail.sesSending) {
        expect(pool.EmailConfiguration).toMatchObject({
          EmailSendingAccount: "DEVELOPER",
          ConfigurationSet: configurationSetName,
        });
        expect(pool.EmailConfiguration.From).toContain(mail.from);
      } else {
        expect(pool.EmailConfiguration ?? { EmailSendingAccount: "COGNITO_DEFAULT" }).toMatchObject(
          { EmailSendingAccount: "COGNITO_DEFAULT" },
        );
      }
      expect(Object.keys(pool.LambdaConfig)).toContain("CustomMessage");
    },
  );
}
