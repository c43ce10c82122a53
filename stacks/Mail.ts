import { CfnOutput, Duration } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SnsEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  DkimIdentity,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from "aws-cdk-lib/aws-ses";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { getStack, Function as SstFunction, type StackContext, use } from "sst/constructs";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { CLAIM_SECONDS, OUTBOX_ENTITY } from "../packages/core/src/mail/outbox.js";
import {
  MAIL_FUNCTIONS,
  mailConfigurationSetName,
  outboxDeadLetterQueueName,
  outboxDeliveryFunctionName,
  sesEventsFunctionName,
} from "../packages/functions/src/function-names.js";
import { Data } from "./Data.js";
import { suppressFunctionDefaults } from "./nag.js";
import { Params } from "./Params.js";
import { stageSettings } from "./stage.js";
import { stageTable, stageTableStream } from "./table-setting.js";

/** Retries of a failing stream batch before its position goes to the DLQ (SES down ~ minutes). */
const STREAM_RETRIES = 10;

/**
 * The stage's mail: an SES identity for its sending domain (Easy DKIM), a configuration set
 * whose bounces and complaints go to SNS and from there to the suppression function, and the
 * outbox delivery (the table's stream -> a function that sends each new outbox item through
 * SES v2 with the configuration set; failures retried, then the DLQ).
 *
 * Switched on in order (docs/operations.md): the first deploy creates the identity and prints
 * the DNS records to add; until `mail.sesSending` is set in stacks/stage.ts (identity
 * verified, account out of the SES sandbox) the delivery's stream mapping is disabled and the
 * user pool keeps Cognito's own mail (stacks/Auth.ts), so no deploy can break sign-ups.
 */
export function Mail({ stack, app }: StackContext) {
  const { mail } = stageSettings(app.stage);
  const { key } = use(Params);
  const { grantReadWriteData } = use(Data);
  // The stream setting the delivery's mapping reads is the Data stack's: deploy after it
  // (nothing else here refers to Data, so CDK would not order the two).
  stack.addDependency(getStack(Data));

  const configurationSet = new ConfigurationSet(stack, "ConfigurationSet", {
    configurationSetName: mailConfigurationSetName(app.stage),
    // Per-set Reputation.BounceRate / ComplaintRate metrics: Monitoring alarms on them.
    reputationMetrics: true,
    sendingEnabled: true,
    // SES itself also refuses addresses that bounced or complained (account suppression list).
    suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  const identity = new EmailIdentity(stack, "Identity", {
    identity: Identity.domain(mail.domain),
    dkimIdentity: DkimIdentity.easyDkim(),
    configurationSet,
  });

  // SES publishes to the KMS-encrypted topic: it needs the stage key for that (confused-deputy
  // guarded like CloudWatch's grant), and CDK adds the topic policy for this configuration set.
  const events = new Topic(stack, "MailEvents", {
    displayName: `Localstays ${app.stage} bounces and complaints`,
    masterKey: key,
    enforceSSL: true,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("ses.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: {
        StringEquals: { "aws:SourceAccount": stack.account },
        ArnLike: {
          "aws:SourceArn": stack.formatArn({
            service: "ses",
            resource: "configuration-set",
            resourceName: mailConfigurationSetName(app.stage),
          }),
        },
      },
    }),
  );
  new ConfigurationSetEventDestination(stack, "BouncesAndComplaints", {
    configurationSet,
    destination: EventDestination.snsTopic(events),
    events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
  });

  const sesEvents = new SstFunction(stack, "SesEvents", {
    handler: MAIL_FUNCTIONS.sesEvents,
    functionName: sesEventsFunctionName(app.stage),
    description: `Localstays ${app.stage}: suppresses addresses that bounced or complained`,
    timeout: "10 seconds",
    environment: {
      TABLE_NAME: stageTable(stack, app.stage).name,
    } satisfies Partial<FunctionEnvironment>,
  });
  sesEvents.addEventSource(new SnsEventSource(events));
  grantReadWriteData(sesEvents);
  suppressFunctionDefaults(sesEvents);

  const deadLetters = new Queue(stack, "OutboxDeadLetters", {
    queueName: outboxDeadLetterQueueName(app.stage),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  NagSuppressions.addResourceSuppressions(deadLetters, [
    {
      id: "AwsSolutions-SQS3",
      reason:
        "It is the dead-letter destination itself: the outbox stream's event source mapping sends " +
        "the batches it gave up on here (onFailure), alarmed in Monitoring.",
    },
  ]);
  const from = `${mail.fromName} <${mail.fromAddress}>`;
  const delivery = new SstFunction(stack, "OutboxDelivery", {
    handler: MAIL_FUNCTIONS.outboxDelivery,
    functionName: outboxDeliveryFunctionName(app.stage),
    description: `Localstays ${app.stage}: mails hosts their review decisions (the outbox)`,
    // The claim a delivery holds on an outbox item lasts as long (core/mail/delivery.ts).
    timeout: `${CLAIM_SECONDS} seconds`,
    environment: {
      TABLE_NAME: stageTable(stack, app.stage).name,
      MAIL_FROM: from,
      MAIL_CONFIGURATION_SET: configurationSet.configurationSetName,
    } satisfies Partial<FunctionEnvironment>,
  });
  delivery.addEventSource(
    new DynamoEventSource(stageTableStream(stack, app.stage, key), {
      // Items written while the mapping was off or failing are still in the stream (24 h).
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 10,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: STREAM_RETRIES,
      onFailure: new SqsDlq(deadLetters),
      // Only new outbox items wake the function; every other write of the table does not.
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual("INSERT"),
          dynamodb: { NewImage: { __edb_e__: { S: FilterRule.isEqual(OUTBOX_ENTITY) } } },
        }),
      ],
      enabled: mail.sesSending,
    }),
  );
  grantReadWriteData(delivery);
  // The identity and the configuration set, nothing else: SES authorizes SendEmail on both.
  delivery.addToRolePolicy(
    new PolicyStatement({
      actions: ["ses:SendEmail"],
      resources: [
        identity.emailIdentityArn,
        stack.formatArn({
          service: "ses",
          resource: "configuration-set",
          resourceName: configurationSet.configurationSetName,
        }),
      ],
    }),
  );
  suppressFunctionDefaults(delivery);

  // What to add to the domain's DNS by hand (docs/operations.md): three DKIM CNAMEs.
  identity.dkimRecords.forEach((record, index) => {
    new CfnOutput(stack, `MailDkimRecord${index + 1}`, {
      value: `${record.name} CNAME ${record.value}`,
      description: `DKIM record ${index + 1} of ${mail.domain}`,
    });
  });
  stack.addOutputs({ MailDomain: mail.domain, MailFrom: mail.fromAddress });

  return { identity, configurationSet, deadLetters, from };
}
