import { Duration } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import {
  BucketNotificationDestinationType,
  Bucket as CdkBucket,
  EventType,
  type IBucketNotificationDestination,
} from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Function as SstFunction, type StackContext, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import type { FunctionEnvironment } from "../packages/core/src/config.js";
import { PHOTOS_PREFIX, UPLOAD_PREFIX } from "../packages/core/src/storage.js";
import {
  PHOTO_PROCESSOR,
  photoProcessorFunctionName,
  uploadsDeadLetterQueueName,
  uploadsQueueName,
} from "../packages/functions/src/function-names.js";
import { bundleProcessor, watchProcessor } from "../packages/functions/src/images/bundle.js";
import { Data } from "./Data.js";
import { isLiveSession } from "./live-dev.js";
import { suppressBucketPrefixGrants, suppressFunctionDefaults } from "./nag.js";
import { ALARM, functionErrorsPurpose } from "./names.js";
import { liveAlias, releases } from "./release.js";
import { Storage } from "./Storage.js";
import { stageSettings } from "./stage.js";
import { stageTable } from "./table-setting.js";
import { uploadSweeper } from "./upload-sweeper.js";

// Sized by `pnpm bench:images`: a 12 MP photo takes ~260 ms of CPU and peaks at ~250 MB.
// The work is CPU-bound and Lambda's CPU grows with memory: 1769 MB is one full vCPU (half
// as much memory would fit, at about twice the time per photo). Photos in a batch are
// processed one after another, so the timeout covers a batch of 5 worst-case uploads
// (100 MP, ~2 s each) plus S3 transfers with a wide margin. The same in every stage.
const PROCESSOR_MEMORY_MB = 1769;
const PROCESSOR_TIMEOUT_SECONDS = 60;
/**
 * At most this many processors run at once, whatever the upload burst: bounded cost, and
 * the table and bucket never see more. The event source stops polling at this number, and
 * the reserved concurrency (not below it) means the source never throttles itself: a
 * throttled batch would go back to the queue and count towards the DLQ.
 */
const PROCESSOR_MAX_CONCURRENCY = 5;
/** Receives before a message goes to the DLQ: a transient S3/DynamoDB failure gets retries. */
const MAX_RECEIVES = 3;

/**
 * The photo processor: S3 ObjectCreated on `uploads/` -> SQS (DLQ after MAX_RECEIVES) ->
 * a container-image Lambda with sharp -> variants under `images/` + the image record.
 *
 * The notification is configured here, on an imported reference to the bucket, not in
 * Storage: there it would point at this stack's queue while this stack reads the bucket (a
 * cycle). CDK manages notifications of an imported bucket with its custom resource, which
 * merges its own entries with any others on the bucket.
 */
export function Images({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { grantReadWriteData } = use(Data);
  const { bucket } = use(Storage);
  const photos = CdkBucket.fromBucketAttributes(stack, "Photos", {
    bucketArn: bucket.bucketArn,
    bucketName: bucket.bucketName,
  });

  // SST only runs `docker build` in the handler folder, so the handler's bundle has to be
  // there first. Inactive stacks (`sst remove`, `sst types`) build no code. The watch,
  // which never ends, is for a live session only: not for a dev-mode synthesis offline
  // (`pnpm synth --mode dev`, the infra tests) nor `sst diff --dev`.
  if (stack.isActive) {
    const { root } = useProject().paths;
    bundleProcessor(root);
    if (app.mode === "dev" && isLiveSession()) watchProcessor(root);
  }

  const deadLetters = new Queue(stack, "UploadsDeadLetters", {
    queueName: uploadsDeadLetterQueueName(app.stage),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // The longest SQS allows: time to find the bug and redrive.
    retentionPeriod: Duration.days(14),
  });
  const uploads = new Queue(stack, "Uploads", {
    queueName: uploadsQueueName(app.stage),
    // SSE-SQS, not the stage's KMS key: S3 can then send without a key grant.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS's guidance for Lambda event sources: at least six times the function timeout, so a
    // message is not handed out again while a slow or retried invocation still holds it.
    visibilityTimeout: Duration.seconds(6 * PROCESSOR_TIMEOUT_SECONDS),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: MAX_RECEIVES },
    // The longest SQS allows (the default is 4 days, past which messages vanish without a
    // dead letter): a backlog waits, and the age alarm (Monitoring) says so long before.
    retentionPeriod: Duration.days(14),
  });

  // Only S3, only for this bucket, only in this account (confused-deputy guard).
  const { policyDependable: uploadsPolicy } = uploads.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("s3.amazonaws.com")],
      actions: ["sqs:SendMessage"],
      resources: [uploads.queueArn],
      conditions: {
        ArnEquals: { "aws:SourceArn": photos.bucketArn },
        StringEquals: { "aws:SourceAccount": stack.account },
      },
    }),
  );
  // CDK's SqsDestination would add its own, wider grant (no SourceAccount, GetQueueAttributes
  // and GetQueueUrl); this destination uses the statement above. S3 checks the queue policy
  // when the notification is written, hence the dependency.
  const uploadsQueue: IBucketNotificationDestination = {
    bind: () => ({
      arn: uploads.queueArn,
      type: BucketNotificationDestinationType.QUEUE,
      dependencies: uploadsPolicy ? [uploadsPolicy] : [],
    }),
  };
  photos.addEventNotification(EventType.OBJECT_CREATED, uploadsQueue, { prefix: UPLOAD_PREFIX });

  const processor = new SstFunction(stack, "ImageProcessor", {
    runtime: "container",
    // The image's build context: Dockerfile, npm lock with sharp, and the bundle in dist/.
    handler: PHOTO_PROCESSOR.buildContext,
    // The app's default is arm64. The image installs sharp's linux-x64 binaries and is built
    // natively on the deploy job's x64 GitHub runner (an arm64 image would need emulation).
    architecture: "x86_64",
    // Monitoring watches it by this name.
    functionName: photoProcessorFunctionName(app.stage),
    description: `Localstays ${app.stage}: resizes uploaded photos into web variants`,
    memorySize: `${PROCESSOR_MEMORY_MB} MB`,
    timeout: `${PROCESSOR_TIMEOUT_SECONDS} seconds`,
    reservedConcurrentExecutions: PROCESSOR_MAX_CONCURRENCY,
    environment: {
      ...({
        // The stage's table setting (stacks/table-setting.ts), as for the API.
        TABLE_NAME: stageTable(stack, app.stage).name,
        BUCKET_NAME: bucket.bucketName,
      } satisfies Partial<FunctionEnvironment>),
      // Not core's: the C library's. glibc's per-thread arenas let RSS creep photo after photo (bench: 293 -> 339 MB
      // over 60 photos); two arenas hold it at ~230 MB.
      MALLOC_ARENA_MAX: "2",
    },
  });
  // With releases the queue feeds the processor's live alias, so CodeDeploy decides which
  // version takes the uploads; reserved concurrency stays on the function.
  const shiftable = settings.release
    ? liveAlias(
        processor,
        photoProcessorFunctionName(app.stage),
        releases(stack, app.stage, settings.release.shift, "images"),
        [
          functionErrorsPurpose(app.stage, photoProcessorFunctionName(app.stage)),
          ALARM.uploadsDeadLetters,
        ],
      )
    : processor;
  shiftable.addEventSource(
    new SqsEventSource(uploads, {
      // A few photos per invocation; partial batch responses retry only the failed ones.
      batchSize: 5,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      maxConcurrency: PROCESSOR_MAX_CONCURRENCY,
    }),
  );

  // Reads the original and writes the variants; deletes the original once done, and the
  // variants too when the host deleted the photo while it was being processed (core's
  // lostRace): they must not stay public behind the CDN. Nothing else in the bucket.
  const uploadObjects = photos.arnForObjects(`${UPLOAD_PREFIX}*`);
  const imageObjects = photos.arnForObjects(`${PHOTOS_PREFIX}*`);
  processor.addToRolePolicy(
    new PolicyStatement({ actions: ["s3:GetObject"], resources: [uploadObjects] }),
  );
  processor.addToRolePolicy(
    new PolicyStatement({ actions: ["s3:PutObject"], resources: [imageObjects] }),
  );
  processor.addToRolePolicy(
    new PolicyStatement({ actions: ["s3:DeleteObject"], resources: [uploadObjects, imageObjects] }),
  );
  grantReadWriteData(processor);
  suppressFunctionDefaults(processor);
  suppressBucketPrefixGrants(processor, [UPLOAD_PREFIX, PHOTOS_PREFIX]);

  const sweeper = uploadSweeper(stack, app.stage, {
    environment: { TABLE_NAME: stageTable(stack, app.stage).name, BUCKET_NAME: bucket.bucketName },
    bucket: photos,
    grantReadWriteData,
  });

  return { processor, uploads, deadLetters, sweeper };
}
