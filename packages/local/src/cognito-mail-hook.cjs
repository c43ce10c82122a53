// Preloaded into cognito-local's process (`node --require`, packages/local/src/cognito.ts).
// cognito-local renders a message (through our CustomMessage trigger, code filled in) and
// then only prints it (ConsoleMessageSender). Cognito in AWS would send it through SES: this
// hook makes cognito-local do the same towards the local SES emulator, with the SES v2 SDK
// client, so the confirmation code a new user receives is on the mail page. It reads its two
// settings from the environment the local stack gives this child process.
"use strict";
const path = require("node:path");

const endpoint = process.env.LOCALSTAYS_SES_ENDPOINT;
const from = process.env.LOCALSTAYS_MAIL_FROM;
if (endpoint && from) {
  const cognitoLocal = path.dirname(require.resolve("cognito-local/package.json"));
  const { ConsoleMessageSender } = require(
    path.join(cognitoLocal, "lib/services/messageDelivery/consoleMessageSender.js"),
  );
  // Loaded on the first message, not at start: cognito-local must be listening quickly.
  let ses;
  const client = () => {
    const { SESv2Client, SendEmailCommand } = require("@aws-sdk/client-sesv2");
    ses ??= {
      SendEmailCommand,
      client: new SESv2Client({
        endpoint,
        region: process.env.AWS_REGION || "eu-north-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    };
    return ses;
  };
  const print = ConsoleMessageSender.prototype.sendEmail;
  ConsoleMessageSender.prototype.sendEmail = async function sendEmail(
    ctx,
    user,
    destination,
    message,
  ) {
    await print.call(this, ctx, user, destination, message);
    // Without a CustomMessage answer Cognito sends its default text, with the code.
    const subject = message.emailSubject || "Your verification code";
    const body = message.emailMessage || `Your verification code is ${message.__code}`;
    const { client: sesClient, SendEmailCommand } = client();
    await sesClient.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [destination] },
        Content: {
          Simple: {
            Subject: { Data: subject, Charset: "UTF-8" },
            Body: { Html: { Data: body, Charset: "UTF-8" } },
          },
        },
      }),
    );
  };
}
