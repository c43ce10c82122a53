import path from "node:path";
import { Duration, Stack } from "aws-cdk-lib";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";
import { type StackContext, StaticSite, type StaticSiteDomainProps, use } from "sst/constructs";
import { useProject } from "sst/project.js";
import { contentSecurityPolicy } from "../packages/web/csp.js";
import { Api } from "./Api.js";
import { Auth } from "./Auth.js";
import { logBucket } from "./log-bucket.js";
import { Storage } from "./Storage.js";
import { APP_NAME, type StageSettings, stageSettings } from "./stage.js";
import { newBuildDir } from "./web-build.js";

/** The host dashboard (React + Vite), relative to the project root. */
const SITE_DIR = "packages/web";

/** Vite puts every fingerprinted file (name = content hash) under assets/. */
const IMMUTABLE = "max-age=31536000,public,immutable";

/**
 * The host dashboard as an SST StaticSite: a private S3 bucket behind CloudFront (origin
 * access control), client-side routes answered with index.html, HTTPS only, security headers,
 * and the API URL, user pool and app client passed to the Vite build as VITE_* variables.
 *
 * The values are CloudFormation tokens at build time: StaticSite builds with placeholders
 * (`{{ VITE_API_URL }}`) and its deploy custom resource (Custom::S3Uploader) writes the real
 * values into the .js and .html files as it uploads them. The build is therefore the same for
 * every stage.
 */
export function Web({ stack, app }: StackContext) {
  const settings = stageSettings(app.stage);
  const { api } = use(Api);
  const { cognito } = use(Auth);
  const { bucket: photos, imagesUrl } = use(Storage);
  const { root } = useProject().paths;
  const sitePath = path.join(root, SITE_DIR);
  const buildDir = newBuildDir(root);
  const fromSite = (target: string) => path.relative(sitePath, target);

  const common = {
    path: sitePath,
    environment: {
      VITE_API_URL: api.url,
      VITE_USER_POOL_ID: cognito.userPoolId,
      VITE_USER_POOL_CLIENT_ID: cognito.userPoolClientId,
    },
    // StaticSite writes a declaration of `environment` for Vite apps, by default into the
    // app's src/ (not ours to write, and shared by parallel syntheses): into the build folder.
    vite: { types: fromSite(path.join(buildDir, "sst-env.d.ts")) },
  };

  // StaticSite neither builds nor deploys in a stack the command leaves out (`sst remove`,
  // `sst types`); nor does this stack then create the site's bucket, logs and policies.
  if (!stack.isActive) {
    new StaticSite(stack, "Site", common);
    return {};
  }

  const logs = logBucket(stack, "Logs", settings, {
    // CloudFront's standard logs are delivered with an object ACL.
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
  });
  NagSuppressions.addResourceSuppressions(logs, [
    {
      id: "AwsSolutions-S1",
      reason: "This is the dashboard's log destination bucket; logging it into itself would loop.",
    },
  ]);

  // Only the deploy custom resource writes it and only the distribution reads it (OAC).
  const siteBucket = new Bucket(stack, "SiteBucket", {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    removalPolicy: settings.removalPolicy,
    autoDeleteObjects: !settings.protectData,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: "site/",
  });

  const securityHeaders = new ResponseHeadersPolicy(stack, "SecurityHeaders", {
    comment: `${APP_NAME} ${app.stage} dashboard: CSP, HSTS, nosniff, no framing, referrer policy`,
    securityHeadersBehavior: {
      // The same policy the browser journey runs under on the local stack (packages/web/csp.ts).
      contentSecurityPolicy: {
        contentSecurityPolicy: contentSecurityPolicy({
          connect: [
            api.url,
            `https://cognito-idp.${stack.region}.amazonaws.com`,
            // Where the presigned POST of a photo goes (createPresignedPost's URL).
            `https://${photos.bucketName}.s3.${stack.region}.amazonaws.com`,
          ],
          images: [imagesUrl],
        }),
        override: true,
      },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    },
  });

  const site = new StaticSite(stack, "Site", {
    ...common,
    // Under `sst dev` too: by default StaticSite then creates nothing, and a live session on
    // a stage a deploy made (dev1) would delete its dashboard (bucket, distribution, logs)
    // and the next deploy would recreate it on a new CloudFront domain. Dev mode keeps
    // everything a deploy made (stacks/test/dev-mode.test.ts); it builds the site as a
    // deploy does. Vite's dev server on the laptop is `pnpm start` (packages/local).
    dev: { deploy: true },
    // Vite's outDir and StaticSite's buildOutput: the same folder of this synthesis.
    buildCommand: [
      // Offline synthesis runs with NODE_ENV=test (stacks/synth.ts), which Vite would honour:
      // React's development build, with absolute source paths in every JSX element.
      "NODE_ENV=production pnpm exec vite build",
      `--outDir ${fromSite(path.join(buildDir, "dist"))}`,
      // The folder is outside the app's root: Vite only empties it when told to.
      "--emptyOutDir",
      // Vite logs warnings and errors to stderr; nothing reaches stdout (promote-check's JSON).
      "--logLevel warn",
    ].join(" "),
    buildOutput: fromSite(path.join(buildDir, "dist")),
    // Any path without a file (a client-side route) is answered with index.html and 200.
    errorPage: "redirect_to_index_page",
    customDomain: customDomain(stack, settings),
    // StaticSite's defaults: every file `no-cache` (index.html above all), .js and .css
    // immutable. Vite's assets/ (images and fonts too) carry content hashes: immutable.
    assets: { fileOptions: [{ files: "assets/**", cacheControl: IMMUTABLE }] },
    cdk: {
      bucket: siteBucket,
      distribution: {
        comment: `${APP_NAME} ${app.stage} host dashboard`,
        // North America and Europe edges: the cheapest class, as the images CDN.
        priceClass: PriceClass.PRICE_CLASS_100,
        httpVersion: HttpVersion.HTTP2_AND_3,
        // Applies with the custom domain's certificate (the default domain has AWS's policy).
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
        enableLogging: true,
        logBucket: logs,
        logFilePrefix: "cdn/",
        defaultBehavior: {
          // Origin access control; StaticSite's default origin would use a legacy OAI.
          origin: S3BucketOrigin.withOriginAccessControl(siteBucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          responseHeadersPolicy: securityHeaders,
        },
      },
    },
  });

  const distribution = site.cdk?.distribution;
  if (!distribution) throw new Error("StaticSite created no distribution");
  suppressSiteFindings(site, settings);

  stack.addOutputs({
    // For prod the custom domain; elsewhere the distribution's own https URL.
    WebUrl: site.customDomainUrl ?? site.url ?? "",
    // Where the custom domain's DNS record (CNAME) points.
    WebDistributionDomainName: distribution.distributionDomainName,
  });
  return { site };
}

/**
 * The stage's own domain, if it has one. The DNS zone of localstays.com is not assumed to be
 * in Route 53 of the stage's account (SST's `hostedZone` would look it up, which also needs
 * AWS credentials at synthesis): the domain is "external", its CNAME is set where the zone is
 * hosted. The certificate (us-east-1, as CloudFront requires) is imported by the ARN in an SSM
 * parameter that CloudFormation resolves at deploy time, so synthesis stays offline and no ARN
 * or account id is written in code. Creating both once per stage: docs/operations.md.
 */
function customDomain(
  stack: StackContext["stack"],
  settings: StageSettings,
): StaticSiteDomainProps | undefined {
  const domain = settings.appDomain;
  if (!domain) return undefined;
  const certificateArn = StringParameter.valueForStringParameter(
    stack,
    domain.certificateArnParameter,
  );
  return {
    domainName: domain.domainName,
    isExternalDomain: true,
    cdk: { certificate: Certificate.fromCertificateArn(stack, "AppCertificate", certificateArn) },
  };
}

/** cdk-nag findings on what StaticSite creates, each with the reason it is accepted. */
function suppressSiteFindings(site: StaticSite, settings: StageSettings): void {
  const distribution = site.cdk?.distribution as IConstruct;
  NagSuppressions.addResourceSuppressions(distribution, [
    {
      id: "AwsSolutions-CFR1",
      reason:
        "Hosts sign in to the dashboard from wherever they are; no country is excluded from " +
        "the product, so there is nothing to geo-restrict.",
    },
    {
      id: "AwsSolutions-CFR2",
      reason:
        "Static, cached files only (the API is a separate origin with its own authorizer); a " +
        "WAF web ACL (billed per ACL and rule) is a prod-launch decision, as for the images CDN.",
    },
    ...(settings.appDomain
      ? []
      : [
          {
            id: "AwsSolutions-CFR4",
            reason:
              "No custom domain in this stage: on the default *.cloudfront.net certificate " +
              "CloudFront fixes the viewer security policy itself. Stages with an app domain " +
              "require TLSv1.2_2021.",
          },
        ]),
  ]);

  // StaticSite grants the stack's custom-resource handler (which uploads the build) these, in
  // a policy it creates only while synthesizing (after this runs): hence a stack suppression,
  // limited to exactly these two resources.
  NagSuppressions.addStackSuppressions(Stack.of(site), [
    {
      id: "AwsSolutions-IAM5",
      reason:
        "The site's deploy custom resource (S3UploaderPolicy) replaces the whole site: it " +
        "reads the build's zip parts from the CDK assets bucket and lists, puts and deletes " +
        "any object of the site bucket, whose keys are the build's file names.",
      appliesTo: [
        { regex: "/^Resource::<SiteBucket[0-9A-F]+\\.Arn>\\/\\*$/" },
        {
          regex:
            "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-[0-9]+-[a-z0-9-]+\\/\\*$/",
        },
      ],
    },
  ]);
}
