import { expect, it } from "vitest";
import {
  routeFunctionName,
  uploadsDeadLetterQueueName,
} from "../../packages/functions/src/function-names.js";
import { type Route, routes } from "../../packages/functions/src/routes.js";
import { stacks } from "../../sst.config.js";
import type { StackId, SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import {
  actionsOf,
  appFunctions,
  imageFunctions,
  only,
  photoObjectArn,
  type Resource,
  refersTo,
  resources,
  roleStatements,
  STAGE_TABLE_PARAMETER,
  type Statement,
  s3Grants,
} from "./template.js";

/**
 * The photo pipeline as the issue decides it, the same in every stage, written out literally
 * (not read back from stacks/Images.ts) so a change there is a deliberate change here too.
 */
const pipeline = {
  memoryMb: 1769,
  timeoutSeconds: 60,
  maxConcurrency: 5,
  batchSize: 5,
  maxReceives: 3,
  deadLetterRetentionSeconds: 14 * 24 * 60 * 60,
  immutableSeconds: 365 * 24 * 60 * 60,
};

/** The processor, the upload queues, the CDN for images and every grant on the photo bucket. */
export function imagesSpec(expected: StageExpectation, ctx: { result: SynthResult }) {
  const { stage } = expected;
  const processorName = `localstays-${stage}-image-processor`;
  const deadLetterName = `localstays-${stage}-image-uploads-dlq`;

  const processor = () => {
    const [fn, ...others] = imageFunctions(ctx.result);
    expect(others).toEqual([]);
    expect(fn?.stack).toBe("Images");
    return fn as Resource;
  };
  const queues = () => {
    const all = resources(ctx.result, "AWS::SQS::Queue", "Images");
    expect(all).toHaveLength(2);
    const uploads = all.find((q) => q.Properties.RedrivePolicy) as Resource;
    const deadLetters = all.find((q) => q !== uploads) as Resource;
    return { uploads, deadLetters };
  };
  const queuePolicy = (queue: Resource) =>
    resources(ctx.result, "AWS::SQS::QueuePolicy", "Images").filter((p) =>
      refersTo(p.Properties.Queues, queue.logicalId),
    );

  it(`runs the photo processor as an x86_64 container image: ${pipeline.memoryMb} MB, ${pipeline.timeoutSeconds} s, at most ${pipeline.maxConcurrency} at once`, () => {
    const fn = processor().Properties;
    expect(fn.PackageType).toBe("Image");
    expect(fn.Architectures).toEqual(["x86_64"]);
    expect(fn.Handler).toBeUndefined();
    expect(fn.Runtime).toBeUndefined();
    // The image is the staged build context, pushed by cdk-assets to the bootstrap ECR repository.
    expect(JSON.stringify(fn.Code.ImageUri)).toMatch(
      new RegExp(
        `${expected.account}\\.dkr\\.ecr\\.${expected.region}\\..*container-assets-${expected.account}-${expected.region}:[0-9a-f]{64}`,
      ),
    );
    expect(fn.FunctionName).toBe(processorName);
    expect(fn.MemorySize).toBe(pipeline.memoryMb);
    expect(fn.Timeout).toBe(pipeline.timeoutSeconds);
    expect(fn.ReservedConcurrentExecutions).toBe(pipeline.maxConcurrency);
  });

  it(`gives the processor the table, the bucket and the stage, and keeps its logs ${expected.retentionDays} days`, () => {
    const { result } = ctx;
    const fn = processor();
    const env = fn.Properties.Environment.Variables;
    expect(env.STAGE).toBe(stage);
    expect(env.ENABLE_FEATURE_X).toBe(String(expected.featureX));
    expect(refersTo(env.TABLE_NAME, STAGE_TABLE_PARAMETER)).toBe(true);
    expect(refersTo(env.BUCKET_NAME, "PhotosBucket")).toBe(true);
    expect(env.MALLOC_ARENA_MAX).toBe("2");
    const retention = resources(result, "Custom::LogRetention").filter((r) =>
      refersTo(r.Properties.LogGroupName, fn.logicalId),
    );
    expect(retention.map((r) => r.Properties.RetentionInDays)).toEqual([expected.retentionDays]);
  });

  it(`queues upload notifications encrypted and TLS-only, with a 14-day DLQ after ${pipeline.maxReceives} receives`, () => {
    const { uploads, deadLetters } = queues();
    for (const queue of [uploads, deadLetters]) {
      expect(queue.Properties.SqsManagedSseEnabled, queue.logicalId).toBe(true);
      const statements = queuePolicy(queue).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Statement[],
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    }
    expect(uploads.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": [deadLetters.logicalId, "Arn"] },
      maxReceiveCount: pipeline.maxReceives,
    });
    // AWS's guidance for a Lambda event source: at least six times the function's timeout.
    expect(uploads.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * processor().Properties.Timeout,
    );
    expect(deadLetters.Properties.QueueName).toBe(deadLetterName);
    expect(deadLetters.Properties.MessageRetentionPeriod).toBe(pipeline.deadLetterRetentionSeconds);
  });

  it("lets only S3, for the photo bucket in this account, send to the upload queue", () => {
    const { uploads } = queues();
    const allows = queuePolicy(uploads)
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => statement.Effect === "Allow");
    expect(allows).toHaveLength(1);
    const [send] = allows as [Statement];
    expect(send.Principal).toEqual({ Service: "s3.amazonaws.com" });
    expect(send.Action).toBe("sqs:SendMessage");
    expect(send.Resource).toEqual({ "Fn::GetAtt": [uploads.logicalId, "Arn"] });
    expect(send.Condition?.StringEquals).toEqual({ "aws:SourceAccount": expected.account });
    expect(Object.keys(send.Condition?.ArnEquals ?? {})).toEqual(["aws:SourceArn"]);
    expect(refersTo(send.Condition?.ArnEquals, "PhotosBucket")).toBe(true);
    expect(JSON.stringify(send.Condition?.ArnEquals)).toContain("Arn");
  });

  it("notifies the upload queue of objects created under uploads/, and of nothing else", () => {
    const { uploads } = queues();
    const notifications = only(ctx.result, "Custom::S3BucketNotifications");
    expect(notifications.stack).toBe("Images");
    expect(refersTo(notifications.Properties.BucketName, "PhotosBucket")).toBe(true);
    // Unmanaged: CDK's handler merges this entry with the bucket's others instead of replacing them.
    expect(notifications.Properties.Managed).toBe(false);
    expect(notifications.Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Events: ["s3:ObjectCreated:*"],
          Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "uploads/" }] } },
          QueueArn: { "Fn::GetAtt": [uploads.logicalId, "Arn"] },
        },
      ],
    });
    // S3 checks that it may send when the notification is written: the policy comes first.
    const [policy] = queuePolicy(uploads);
    expect(notifications.DependsOn).toContain(policy?.logicalId);
  });

  it("invokes the processor from the queue in small batches, with partial batch responses", () => {
    const { uploads } = queues();
    const mapping = only(ctx.result, "AWS::Lambda::EventSourceMapping", "Images").Properties;
    expect(mapping.EventSourceArn).toEqual({ "Fn::GetAtt": [uploads.logicalId, "Arn"] });
    // Released stages invoke the processor's live alias (release-spec.ts checks that target).
    if (!expected.deploymentConfig) {
      expect(mapping.FunctionName).toEqual({ Ref: processor().logicalId });
    } else {
      expect(JSON.stringify(mapping.FunctionName)).toContain(":live");
    }
    expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(mapping.BatchSize).toBe(pipeline.batchSize);
    expect(mapping.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(5);
    // Never above the reserved concurrency: a throttled batch would count towards the DLQ.
    expect(mapping.ScalingConfig.MaximumConcurrency).toBeLessThanOrEqual(
      processor().Properties.ReservedConcurrentExecutions,
    );
  });

  it("grants the processor exactly: get uploads/*, put images/*, delete both, the table and its queue", () => {
    const { result } = ctx;
    const { uploads } = queues();
    const statements = roleStatements(result, processor());
    // Delete on images/* only for a photo deleted mid-processing (its variants must go).
    expect(s3Grants(statements)).toEqual([
      { actions: ["s3:GetObject"], resources: ["<photos>/uploads/*"] },
      { actions: ["s3:PutObject"], resources: ["<photos>/images/*"] },
      { actions: ["s3:DeleteObject"], resources: ["<photos>/images/*", "<photos>/uploads/*"] },
    ]);
    const consume = statements.find((s) => actionsOf(s).includes("sqs:ReceiveMessage"));
    expect(consume?.Resource).toEqual({ "Fn::GetAtt": [uploads.logicalId, "Arn"] });
    expect(actionsOf(consume as Statement)).toContain("sqs:DeleteMessage");
    const dynamo = statements.find((s) => actionsOf(s).includes("dynamodb:UpdateItem"));
    expect(refersTo(dynamo?.Resource, STAGE_TABLE_PARAMETER)).toBe(true);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => a.endsWith(":*") || a === "*")).toEqual([]);
    const services = new Set(actions.map((action) => action.split(":")[0]));
    expect([...services].sort()).toEqual(
      ["dynamodb", "kms", "s3", "sqs", ...(expected.tracing ? ["xray"] : [])].sort(),
    );
  });

  it("grants bucket rights only to routes that declare them: upload puts uploads/*, delete deletes uploads/* and images/*", () => {
    const { result } = ctx;
    const byName = new Map(appFunctions(result).map((fn) => [fn.Properties.FunctionName, fn]));
    const expectedGrants = {
      upload: [{ actions: ["s3:PutObject"], resources: ["<photos>/uploads/*"] }],
      delete: [
        {
          actions: ["s3:DeleteObject"],
          resources: ["<photos>/images/*", "<photos>/uploads/*"],
        },
      ],
    };
    const declared = (routes as readonly Route[]).filter((route) => route.bucket);
    expect(declared.map((route) => route.bucket).sort()).toEqual(["delete", "upload"]);
    for (const route of routes as readonly Route[]) {
      const fn = byName.get(routeFunctionName(stage, route)) as Resource;
      const grants = s3Grants(roleStatements(result, fn));
      expect(grants, `${route.method} ${route.path}`).toEqual(
        route.bucket ? expectedGrants[route.bucket] : [],
      );
    }
    for (const trigger of appFunctions(result).filter((fn) => fn.stack === "Auth")) {
      expect(s3Grants(roleStatements(result, trigger))).toEqual([]);
    }
  });

  it("serves images through CloudFront: origin access control, HTTPS only, GET/HEAD, immutable caching, price class 100, logs", () => {
    const { result } = ctx;
    const distribution = only(result, "AWS::CloudFront::Distribution", "Storage");
    const config = distribution.Properties.DistributionConfig;
    const oac = only(result, "AWS::CloudFront::OriginAccessControl", "Storage");
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: "s3",
      SigningBehavior: "always",
      SigningProtocol: "sigv4",
    });
    expect(config.Origins).toEqual([
      expect.objectContaining({
        DomainName: {
          "Fn::GetAtt": [expect.stringMatching(/^PhotosBucket/), "RegionalDomainName"],
        },
        OriginAccessControlId: { "Fn::GetAtt": [oac.logicalId, "Id"] },
        S3OriginConfig: { OriginAccessIdentity: "" },
      }),
    ]);
    expect(config.CacheBehaviors).toBeUndefined();
    const behavior = config.DefaultCacheBehavior;
    expect(behavior.ViewerProtocolPolicy).toBe("https-only");
    expect(behavior.AllowedMethods).toEqual(["GET", "HEAD"]);
    expect(config.PriceClass).toBe("PriceClass_100");
    const cachePolicy = only(result, "AWS::CloudFront::CachePolicy", "Storage");
    expect(behavior.CachePolicyId).toEqual({ Ref: cachePolicy.logicalId });
    expect(cachePolicy.Properties.CachePolicyConfig).toMatchObject({
      DefaultTTL: pipeline.immutableSeconds,
      MaxTTL: pipeline.immutableSeconds,
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: "none" },
        HeadersConfig: { HeaderBehavior: "none" },
        QueryStringsConfig: { QueryStringBehavior: "none" },
      },
    });
    const logBucket = config.Logging.Bucket["Fn::GetAtt"][0];
    expect(resources(result, "AWS::S3::Bucket").map((b) => b.logicalId)).toContain(logBucket);
  });

  it(`lets browsers read images from ${expected.corsOrigins.join(", ")} (CDN) and POST uploads (bucket), nothing more`, () => {
    const { result } = ctx;
    const headers = only(result, "AWS::CloudFront::ResponseHeadersPolicy", "Storage");
    const behavior = only(result, "AWS::CloudFront::Distribution", "Storage").Properties
      .DistributionConfig.DefaultCacheBehavior;
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: headers.logicalId });
    const policy = headers.Properties.ResponseHeadersPolicyConfig;
    expect(policy.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: expected.corsOrigins },
      AccessControlAllowMethods: { Items: ["GET", "HEAD"] },
      AccessControlAllowCredentials: false,
    });
    expect(policy.CustomHeadersConfig.Items).toContainEqual({
      Header: "Cache-Control",
      Value: `public, max-age=${pipeline.immutableSeconds}, immutable`,
      Override: false,
    });
    const photos = resources(result, "AWS::S3::Bucket").find(
      (b) => b.Properties.CorsConfiguration,
    ) as Resource;
    expect(photos.Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ["POST"], AllowedOrigins: expected.corsOrigins }),
    ]);
  });

  it("lets CloudFront read images/* of the photo bucket and nothing else: uploads are never public", () => {
    const { result } = ctx;
    const distribution = only(result, "AWS::CloudFront::Distribution", "Storage");
    // The dashboard's bucket (Web stack) has a CloudFront grant of its own (web-spec.ts).
    const bucketPolicies = resources(result, "AWS::S3::BucketPolicy", "Storage");
    const photosPolicy = bucketPolicies.find((p) =>
      refersTo(p.Properties.Bucket, "PhotosBucket"),
    ) as Resource;
    const statements = bucketPolicies.flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    const forCloudFront = statements.filter(
      (s) =>
        JSON.stringify(s.Principal) === JSON.stringify({ Service: "cloudfront.amazonaws.com" }),
    );
    expect(forCloudFront).toHaveLength(1);
    const [read] = forCloudFront as [Statement];
    expect(photosPolicy.Properties.PolicyDocument.Statement).toContainEqual(read);
    expect(read.Effect).toBe("Allow");
    expect(read.Action).toBe("s3:GetObject");
    expect(photoObjectArn(read.Resource)).toBe("<photos>/images/*");
    expect(Object.keys(read.Condition ?? {})).toEqual(["StringEquals"]);
    expect(refersTo(read.Condition?.StringEquals["AWS:SourceArn"], distribution.logicalId)).toBe(
      true,
    );
    // No other Allow on the photo bucket goes to anyone but our own roles.
    for (const statement of photosPolicy.Properties.PolicyDocument.Statement as Statement[]) {
      if (statement.Effect !== "Allow" || statement === read) continue;
      expect(JSON.stringify(statement.Principal)).toMatch(/^\{"AWS":\{"Fn::GetAtt"/);
    }
  });

  it("hands the API the CDN's https URL as IMAGES_BASE_URL and outputs it as ImagesUrl", () => {
    const { result } = ctx;
    const distribution = only(result, "AWS::CloudFront::Distribution", "Storage").logicalId;
    const output = result.stacks.Storage.template.Outputs.ImagesUrl.Value;
    expect(output).toEqual({
      "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distribution, "DomainName"] }]],
    });
    for (const fn of appFunctions(result).filter((f) => f.stack === "Api")) {
      const url = fn.Properties.Environment.Variables.IMAGES_BASE_URL;
      expect(JSON.stringify(url), fn.logicalId).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",/);
      expect(refersTo(url, `${distribution}DomainName`)).toBe(true);
    }
  });

  it("keeps uploads 14 days in the queue and alarms when the oldest has waited 15 minutes", () => {
    const { uploads } = queues();
    expect(uploads.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
    const topic = only(ctx.result, "AWS::SNS::Topic", "Monitoring");
    const age = resources(ctx.result, "AWS::CloudWatch::Alarm").filter(
      (a) => a.Properties.MetricName === "ApproximateAgeOfOldestMessage",
    );
    expect(age).toHaveLength(1);
    expect(age[0]?.Properties).toMatchObject({
      AlarmName: `localstays-${stage}-image-queue-age`,
      Namespace: "AWS/SQS",
      Dimensions: [{ Name: "QueueName", Value: uploads.Properties.QueueName }],
      Statistic: "Maximum",
      Threshold: 900,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [{ Ref: topic.logicalId }],
    });
  });

  it("sweeps expired uploads every 5 minutes with a function that may list uploads/ only", () => {
    const name = `localstays-${stage}-upload-sweeper`;
    const sweeper = appFunctions(ctx.result).find((fn) => fn.Properties.FunctionName === name);
    expect(sweeper?.stack).toBe("Images");
    expect(sweeper?.Properties.Handler).toBe("packages/functions/src/images/sweep.handler");
    const rules = resources(ctx.result, "AWS::Events::Rule", "Images").filter((rule) =>
      refersTo(rule.Properties.Targets, (sweeper as Resource).logicalId),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.ScheduleExpression).toBe("rate(5 minutes)");
    const statements = roleStatements(ctx.result, sweeper as Resource);
    const s3 = statements.filter((st) => actionsOf(st).some((a) => a.startsWith("s3:")));
    expect(s3.flatMap(actionsOf)).toEqual(["s3:ListBucket"]);
    expect(s3[0]?.Condition).toEqual({ StringLike: { "s3:prefix": ["uploads/*"] } });
  });

  it("alarms into the stage's topic when the DLQ holds a message, and on the processor's errors", () => {
    const { result } = ctx;
    const topic = only(result, "AWS::SNS::Topic", "Monitoring");
    const alarms = resources(result, "AWS::CloudWatch::Alarm");
    const dlq = alarms.filter(
      (a) =>
        a.Properties.Namespace === "AWS/SQS" &&
        a.Properties.MetricName === "ApproximateNumberOfMessagesVisible" &&
        JSON.stringify(a.Properties.Dimensions).includes(uploadsDeadLetterQueueName(stage)),
    );
    expect(dlq).toHaveLength(1);
    expect(dlq[0]?.Properties).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: queues().deadLetters.Properties.QueueName }],
      // >= 1 on a whole-number depth: any message at all.
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: topic.logicalId }],
    });
    const errors = alarms.filter(
      (a) =>
        a.Properties.MetricName === "Errors" && a.Properties.Dimensions[0].Value === processorName,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.Properties.AlarmActions).toEqual([{ Ref: topic.logicalId }]);
  });

  it("deploys in sst.config.ts order: each stack uses only stacks before it, so there is no cycle", () => {
    const order = stacks.map((fn) => fn.name as StackId);
    for (const [index, id] of order.entries()) {
      const { dependsOn } = ctx.result.stacks[id];
      for (const dependency of dependsOn) {
        expect(order.indexOf(dependency), `${id} -> ${dependency}`).toBeLessThan(index);
      }
    }
    // Its table comes from the stage setting (Params), not from Data's exports.
    expect(ctx.result.stacks.Images.dependsOn.sort()).toEqual(["Params", "Storage"]);
    // Monitoring watches the processor and the DLQ by name: removing them never hits an export.
    expect(ctx.result.stacks.Monitoring.dependsOn).not.toContain("Images");
  });
}
