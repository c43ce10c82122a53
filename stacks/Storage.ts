import { Annotations, Duration } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  BlockPublicAccess,
  BucketEncryption,
  Bucket as CdkBucket,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { Bucket, type StackContext } from "sst/constructs";
import { PHOTOS_PREFIX, UPLOAD_PREFIX } from "../packages/core/src/storage.js";
import { UPLOAD_CORS } from "../packages/functions/src/cors.js";
import { logBucket } from "./log-bucket.js";
import { APP_NAME, stageSettings } from "./stage.js";

/** Variant keys are unique per image and never rewritten: cache them for a year. */
const IMMUTABLE_SECONDS = 365 * 24 * 60 * 60;

/**
 * The photo bucket. Encryption is SSE-S3, not the stage's KMS key, on purpose: browsers
 * upload with presigned POSTs, and with SSE-KMS every signer and reader (API functions, the
 * photo processor, a later CloudFront origin) would need kms:GenerateDataKey/Decrypt on the
 * key and each object would cost KMS requests. The objects are listing photos that become
 * public once approved; the personal data lives in DynamoDB under the customer-managed key.
 *
 * Guests read the variants (`images/`) through a CloudFront distribution with origin access
 * control; the bucket itself stays private, and `uploads/` is never readable from outside.
 * The upload notification to the processor's queue is configured by the Images stack.
 */
export function Storage({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  // Server access logs (cdk-nag S1). The destination cannot log to itself and must use
  // SSE-S3 (S3 does not deliver access logs to SSE-KMS buckets).
  const accessLogs = logBucket(stack, "AccessLogs", settings, {
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  });
  NagSuppressions.addResourceSuppressions(accessLogs, [
    {
      id: "AwsSolutions-S1",
      reason: "This is the access-log destination bucket; logging it into itself would loop.",
    },
  ]);

  const bucket = new Bucket(stack, "Photos", {
    cors: [
      {
        allowedMethods: [...UPLOAD_CORS.allowMethods],
        allowedOrigins: [...settings.corsOrigins],
        allowedHeaders: [...UPLOAD_CORS.allowHeaders],
        maxAge: `${UPLOAD_CORS.maxAgeSeconds} seconds`,
      },
    ],
    cdk: {
      bucket: {
        encryption: BucketEncryption.S3_MANAGED,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        versioned: settings.bucketVersioning,
        removalPolicy: settings.removalPolicy,
        autoDeleteObjects: !settings.protectData,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: "photos/",
        lifecycleRules: [
          // Originals are only needed until the processor has written the variants.
          { id: "expire-uploads", prefix: UPLOAD_PREFIX, expiration: Duration.days(2) },
          {
            id: "abort-incomplete-multipart",
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
          ...(settings.bucketVersioning
            ? [{ id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(30) }]
            : []),
        ],
      },
    },
    // No `notifications` here: the Images stack adds the upload notification on its side
    // (CDK's merging custom resource). Notifications managed here would replace it.
  });

  const cdn = imagesCdn({ stack, app }, bucket.cdk.bucket, accessLogs);
  const imagesUrl = `https://${cdn.distributionDomainName}`;

  // BucketName: `localstays seed` uploads its demo photos there (read from CloudFormation).
  stack.addOutputs({ ImagesUrl: imagesUrl, BucketName: bucket.bucketName });
  return { bucket, imagesUrl };
}

/** The CDN in front of `images/`: HTTPS, immutable caching, CORS from the stage's origins. */
function imagesCdn(
  { stack, app }: Pick<StackContext, "stack" | "app">,
  photos: IBucket,
  accessLogs: IBucket,
): Distribution {
  const settings = stageSettings(app.stage);

  // CloudFront's standard logs are delivered with an object ACL (the awslogsdelivery account),
  // so this bucket, unlike the others, has ACLs enabled; nothing else writes to it.
  const cdnLogs = logBucket(stack, "CdnLogs", settings, {
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "cdn-logs/",
  });

  const cachePolicy = new CachePolicy(stack, "ImmutableImages", {
    comment: "Image variants: unique keys, never rewritten",
    minTtl: Duration.days(1),
    defaultTtl: Duration.seconds(IMMUTABLE_SECONDS),
    maxTtl: Duration.seconds(IMMUTABLE_SECONDS),
    // WebP is already compressed; no cookies, query strings or headers vary a variant.
    enableAcceptEncodingGzip: false,
    enableAcceptEncodingBrotli: false,
  });
  const responseHeaders = new ResponseHeadersPolicy(stack, "ImageHeaders", {
    comment: "Image variants: browser caching, CORS from the app's origins, nosniff",
    customHeadersBehavior: {
      customHeaders: [
        {
          header: "Cache-Control",
          value: `public, max-age=${IMMUTABLE_SECONDS}, immutable`,
          // The processor's own Cache-Control, if it sets one, wins.
          override: false,
        },
      ],
    },
    corsBehavior: {
      accessControlAllowOrigins: [...settings.corsOrigins],
      accessControlAllowMethods: ["GET", "HEAD"],
      accessControlAllowHeaders: ["*"],
      accessControlAllowCredentials: false,
      accessControlMaxAge: Duration.hours(1),
      originOverride: true,
    },
    securityHeadersBehavior: {
      contentTypeOptions: { override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
    },
  });

  // The origin gets the bucket as an imported reference on purpose: with the bucket itself,
  // S3BucketOrigin.withOriginAccessControl grants s3:GetObject on <bucket>/* (uploads
  // included). Imported, it grants nothing, and the statement below names images/* only.
  const photosForCdn = CdkBucket.fromBucketAttributes(stack, "PhotosForCdn", {
    bucketArn: photos.bucketArn,
    bucketName: photos.bucketName,
    bucketRegionalDomainName: photos.bucketRegionalDomainName,
  });
  const cdn = new Distribution(stack, "ImagesCdn", {
    comment: `${APP_NAME} ${app.stage} listing images`,
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(photosForCdn),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy,
      responseHeadersPolicy: responseHeaders,
      compress: false,
    },
    // North America and Europe edges: the cheapest class, where the guests are.
    priceClass: PriceClass.PRICE_CLASS_100,
    httpVersion: HttpVersion.HTTP2_AND_3,
    enableLogging: true,
    logBucket: cdnLogs,
    logFilePrefix: "images/",
  });
  Annotations.of(cdn).acknowledgeWarning(
    "@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac",
    "The photo bucket's policy grants this distribution images/* below, on purpose by hand.",
  );
  photos.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("cloudfront.amazonaws.com")],
      actions: ["s3:GetObject"],
      resources: [photos.arnForObjects(`${PHOTOS_PREFIX}*`)],
      conditions: { StringEquals: { "AWS:SourceArn": cdn.distributionArn } },
    }),
  );

  NagSuppressions.addResourceSuppressions(cdn, [
    {
      id: "AwsSolutions-CFR1",
      reason:
        "Listing photos are public to guests everywhere by design; no country is excluded " +
        "from the product, so there is nothing to geo-restrict.",
    },
    {
      id: "AwsSolutions-CFR2",
      reason:
        "GET/HEAD of immutable, cached, public objects with no query strings or cookies reach " +
        "the origin once per edge; a WAF web ACL (billed per ACL and rule) is a prod-launch decision.",
    },
    {
      id: "AwsSolutions-CFR4",
      reason:
        "No custom domain yet: on the default *.cloudfront.net certificate CloudFront fixes " +
        "the viewer security policy itself, so TLS 1.2+ needs a domain and an ACM certificate.",
    },
  ]);
  return cdn;
}
