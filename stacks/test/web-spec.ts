import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { expect, it } from "vitest";
import { stacks } from "../../sst.config.js";
import { ROOT, type StackId, type SynthResult } from "../synth.js";
import type { StageExpectation } from "./stage-spec.js";
import { only, type Resource, refersTo, resources, type Statement } from "./template.js";

/**
 * The host dashboard (stacks/Web.ts) as the issue decides it, written out literally: a private
 * bucket behind CloudFront with origin access control, HTTPS, client-side routes answered with
 * index.html, security headers, the build-time settings, and prod's own domain, which is the
 * one origin the API and the photo bucket allow.
 */
export interface WebContext {
  result: SynthResult;
  /** The files the site deploys, as staged (StaticSite's `filenames` asset). */
  siteFiles: string[];
  /** The build's text files (.html, .js) by path, read while the synthesis still has them. */
  siteBuild: Record<string, string>;
}

/** The VITE_* settings the dashboard is built with, and what each must come from. */
const BUILD_SETTINGS = {
  VITE_API_URL: "AWS::ApiGatewayV2::Api",
  VITE_USER_POOL_ID: "AWS::Cognito::UserPool",
  VITE_USER_POOL_CLIENT_ID: "AWS::Cognito::UserPoolClient",
} as const;

const NO_CACHE = "max-age=0,no-cache,no-store,must-revalidate";
const IMMUTABLE = "max-age=31536000,public,immutable";

/**
 * Called with the cloud assembly (SynthOptions.onAssembly): the list of files the site's
 * deploy custom resource uploads, read from the staged asset its template names.
 */
export function siteFilesOf(assembly: CloudAssembly): string[] {
  const web = assembly.stacks.find((stack) => stack.stackName.endsWith("WebStack"));
  if (!web) throw new Error(`No Web stack in ${assembly.directory}`);
  const uploader = Object.values(web.template.Resources as Record<string, Resource>).find(
    (resource) => resource.Type === "Custom::S3Uploader",
  );
  const hash = String(uploader?.Properties.filenames.objectKey).split(".")[0] as string;
  const manifest = path.join(assembly.directory, `${web.id}.assets.json`);
  const source = JSON.parse(readFileSync(manifest, "utf8")).files[hash]?.source.path;
  if (!source) throw new Error(`No staged asset ${hash} in ${manifest}`);
  const list = readFileSync(path.join(assembly.directory, source), "utf8");
  return list.split("\n").filter(Boolean).sort();
}

/**
 * Called with the cloud assembly (SynthOptions.onAssembly, `staged.siteBuild`): the text
 * files of this synthesis's build of the site (stacks/Web.ts builds it into a folder of its
 * own, `.build/web/<pid>-<random>/dist`; the synthesis cache keeps a copy).
 */
export function siteBuildOf(dist: string): Record<string, string> {
  const texts: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(dist, relative), { withFileTypes: true })) {
      const file = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(html|js)$/.test(file)) texts[file] = readFileSync(path.join(dist, file), "utf8");
    }
  };
  walk("");
  return texts;
}

export function webSpec(expected: StageExpectation, ctx: WebContext) {
  const { stage, appDomain } = expected;
  const distribution = () => only(ctx.result, "AWS::CloudFront::Distribution", "Web");
  const config = () => distribution().Properties.DistributionConfig;
  /** The bucket the distribution's only origin reads. */
  const siteBucket = () => {
    const [origin, ...others] = config().Origins;
    expect(others).toEqual([]);
    const bucket = resources(ctx.result, "AWS::S3::Bucket", "Web").find((b) =>
      refersTo(origin.DomainName, b.logicalId),
    );
    expect(bucket).toBeDefined();
    return bucket as Resource;
  };
  const uploader = () => only(ctx.result, "Custom::S3Uploader", "Web").Properties;

  it("serves the dashboard from a private bucket that only its distribution reads (origin access control)", () => {
    const { result } = ctx;
    const bucket = siteBucket();
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const oac = only(result, "AWS::CloudFront::OriginAccessControl", "Web");
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: "s3",
      SigningBehavior: "always",
      SigningProtocol: "sigv4",
    });
    expect(config().Origins).toEqual([
      expect.objectContaining({
        DomainName: { "Fn::GetAtt": [bucket.logicalId, "RegionalDomainName"] },
        OriginAccessControlId: { "Fn::GetAtt": [oac.logicalId, "Id"] },
        S3OriginConfig: { OriginAccessIdentity: "" },
      }),
    ]);
    // StaticSite's default origin would add a legacy origin access identity.
    expect(resources(result, "AWS::CloudFront::CloudFrontOriginAccessIdentity")).toEqual([]);

    const policy = resources(result, "AWS::S3::BucketPolicy", "Web").find((p) =>
      refersTo(p.Properties.Bucket, bucket.logicalId),
    ) as Resource;
    const allows = (policy.Properties.PolicyDocument.Statement as Statement[]).filter(
      (s) => s.Effect === "Allow",
    );
    const toServices = allows.filter((s) => !JSON.stringify(s.Principal).startsWith('{"AWS":'));
    expect(toServices).toEqual([
      expect.objectContaining({
        Action: "s3:GetObject",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [bucket.logicalId, "Arn"] }, "/*"]] },
      }),
    ]);
    const [read] = toServices as [Statement];
    expect(Object.keys(read.Condition ?? {})).toEqual(["StringEquals"]);
    expect(refersTo(read.Condition?.StringEquals["AWS:SourceArn"], distribution().logicalId)).toBe(
      true,
    );
    // Any other Allow goes to our own roles (the auto-delete provider in dev stages).
    for (const statement of allows.filter((s) => s !== read)) {
      expect(JSON.stringify(statement.Principal)).toMatch(/^\{"AWS":\{"Fn::GetAtt"/);
    }
  });

  it("redirects HTTP to HTTPS and answers client-side routes with index.html", () => {
    const { DefaultCacheBehavior: behavior, DefaultRootObject, CustomErrorResponses } = config();
    expect(behavior.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(DefaultRootObject).toBe("index.html");
    // S3 behind origin access control answers a missing key with 403, elsewhere 404.
    expect(CustomErrorResponses).toEqual([
      { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: "/index.html" },
      { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: "/index.html" },
    ]);
    expect(config().PriceClass).toBe("PriceClass_100");
  });

  it("sends a CSP, HSTS, nosniff, no framing and a referrer policy with every response", () => {
    const headers = only(ctx.result, "AWS::CloudFront::ResponseHeadersPolicy", "Web");
    expect(config().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: headers.logicalId,
    });
    expect(config().CacheBehaviors).toBeUndefined();
    const { ContentSecurityPolicy: csp, ...others } =
      headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    // The policy as text, each value imported from another stack as <its export name>.
    const policy = (csp.ContentSecurityPolicy["Fn::Join"][1] as unknown[])
      .map((part) => (typeof part === "string" ? part : `<${Object.values(part as object)[0]}>`))
      .join("");
    const { region } = expected;
    expect(csp.Override).toBe(true);
    expect(policy).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self'; /);
    expect(policy).toMatch(/; img-src 'self' data: https:\/\/<\w+StorageStack:\w+ImagesCdn\w+>;/);
    expect(policy).toMatch(
      new RegExp(
        `; connect-src 'self' <\\w+ApiStack:\\w+ApiEndpoint\\w+> ` +
          `https://cognito-idp\\.${region}\\.amazonaws\\.com ` +
          `https://<\\w+StorageStack:\\w+PhotosBucket\\w+>\\.s3\\.${region}\\.amazonaws\\.com;`,
      ),
    );
    expect(policy).toMatch(
      /; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/,
    );
    expect(others).toEqual({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 365 * 24 * 60 * 60,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: "DENY", Override: true },
      ReferrerPolicy: { ReferrerPolicy: "strict-origin-when-cross-origin", Override: true },
    });
  });

  if (appDomain) {
    it(`serves on https://${appDomain} with the certificate named in SSM, TLS 1.2+`, () => {
      const { Aliases, ViewerCertificate } = config();
      expect(Aliases).toEqual([appDomain]);
      const parameter = ViewerCertificate.AcmCertificateArn.Ref;
      expect(ctx.result.stacks.Web.template.Parameters[parameter]).toEqual({
        Type: "AWS::SSM::Parameter::Value<String>",
        Default: `/localstays/${stage}/app-domain/certificate-arn`,
      });
      expect(ViewerCertificate).toEqual({
        AcmCertificateArn: { Ref: parameter },
        MinimumProtocolVersion: "TLSv1.2_2021",
        SslSupportMethod: "sni-only",
      });
      // Imported, not created; the DNS record is kept where the zone is hosted.
      expect(resources(ctx.result, "AWS::CertificateManager::Certificate")).toEqual([]);
      expect(resources(ctx.result, "AWS::Route53::RecordSet")).toEqual([]);
      expect(ctx.result.stacks.Web.template.Outputs.WebUrl.Value).toBe(`https://${appDomain}`);
    });

    it("allows CORS from the site's origin only: API, photo uploads and the images CDN", () => {
      const origin = `https://${config().Aliases[0]}`;
      expect(expected.corsOrigins).toEqual([origin]);
      const api = only(ctx.result, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration;
      expect(api.AllowOrigins).toEqual([origin]);
      const photos = resources(ctx.result, "AWS::S3::Bucket").find(
        (b) => b.Properties.CorsConfiguration,
      ) as Resource;
      for (const rule of photos.Properties.CorsConfiguration.CorsRules) {
        expect(rule.AllowedOrigins).toEqual([origin]);
      }
      const images = only(ctx.result, "AWS::CloudFront::ResponseHeadersPolicy", "Storage");
      expect(
        images.Properties.ResponseHeadersPolicyConfig.CorsConfig.AccessControlAllowOrigins.Items,
      ).toEqual([origin]);
    });
  } else {
    it("has no custom domain: the distribution's own https URL, any origin for CORS", () => {
      const { Aliases, ViewerCertificate } = config();
      expect(Aliases ?? []).toEqual([]);
      expect(ViewerCertificate).toBeUndefined();
      expect(Object.keys(ctx.result.stacks.Web.template.Parameters ?? {})).toEqual([
        "BootstrapVersion",
      ]);
      expect(ctx.result.stacks.Web.template.Outputs.WebUrl.Value).toEqual({
        "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distribution().logicalId, "DomainName"] }]],
      });
      expect(expected.corsOrigins).toEqual(["*"]);
    });
  }

  it("builds the dashboard with the API URL, the user pool and its client, put in at deploy time", () => {
    const { replaceValues, destinationBucketName } = uploader();
    expect(destinationBucketName).toEqual({ Ref: siteBucket().logicalId });
    // StaticSite builds with `{{ KEY }}` placeholders for values CloudFormation only knows at
    // deploy time, and its custom resource writes the values into the uploaded files.
    const all = replaceValues as { files: string; search: string; replace: unknown }[];
    expect([...new Set(all.map((r) => r.search))].sort()).toEqual(
      Object.keys(BUILD_SETTINGS)
        .map((key) => `{{ ${key} }}`)
        .sort(),
    );
    for (const [key, type] of Object.entries(BUILD_SETTINGS)) {
      const replacements = all.filter((r) => r.search === `{{ ${key} }}`);
      expect(replacements.map((r) => r.files).sort(), key).toEqual(["**/*.html", "**/*.js"]);
      const source = only(ctx.result, type).logicalId;
      for (const { replace } of replacements) {
        expect(JSON.stringify(replace), key).toMatch(/^\{"Fn::ImportValue":/);
        expect(refersTo(replace, source), `${key} <- ${type}`).toBe(true);
      }
    }
  });

  it("builds for production, with placeholders where the values go and no path of this machine", () => {
    const build = ctx.siteBuild;
    expect(build["index.html"]).toMatch(
      /<script type="module" crossorigin src="\/assets\/[^"]+\.js">/,
    );
    const code = Object.entries(build).filter(([file]) => file.endsWith(".js"));
    expect(code.length).toBeGreaterThan(0);
    const all = code.map(([, text]) => text).join("\n");
    for (const key of Object.keys(BUILD_SETTINGS)) expect(all).toContain(`{{ ${key} }}`);
    for (const [file, text] of code) {
      // NODE_ENV=test (offline synthesis) would give React's development build, whose JSX
      // names every element's source file by its absolute path.
      expect(text, file).not.toMatch(/jsxDEV|react-dom\.development|react\.development/);
      expect(text.includes(ROOT), file).toBe(false);
    }
  });

  it("deploys the build: index.html never cached, fingerprinted assets/ cached for a year", () => {
    const { fileOptions } = uploader();
    // The uploader applies the last matching entry.
    expect(fileOptions).toEqual([
      { files: "**", cacheControl: NO_CACHE },
      { files: ["**/*.js", "**/*.css"], cacheControl: IMMUTABLE },
      { files: "assets/**", cacheControl: IMMUTABLE },
    ]);
    const files = ctx.siteFiles;
    expect(files).toContain("index.html");
    expect(files.some((file) => /^assets\/.+\.js$/.test(file))).toBe(true);
    // .js and .css are cached as immutable wherever they are: they must carry a content hash.
    for (const file of files.filter((f) => /\.(js|css)$/.test(f))) {
      expect(file).toMatch(/^assets\//);
    }
    // Only the build's output: no source, no declarations, no env files.
    expect(files.filter((f) => /(^|\/)(src\/|\.env)|\.tsx?$/.test(f))).toEqual([]);
  });

  it("builds in a folder of its own, gone after the synthesis", () => {
    const builds = path.join(ROOT, ".build", "web");
    const ours = existsSync(builds)
      ? readdirSync(builds).filter((name) => name.startsWith(`${process.pid}-`))
      : [];
    expect(ours).toEqual([]);
  });

  it("logs the distribution's requests and the site bucket's access into the stage's log bucket", () => {
    const logs = config().Logging.Bucket["Fn::GetAtt"][0];
    const logBucket = resources(ctx.result, "AWS::S3::Bucket", "Web").find(
      (b) => b.logicalId === logs,
    ) as Resource;
    expect(logBucket.Properties.OwnershipControls.Rules).toEqual([
      { ObjectOwnership: "BucketOwnerPreferred" },
    ]);
    expect(logBucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        ExpirationInDays: expected.protectData ? 365 : 30,
        Status: "Enabled",
      }),
    ]);
    expect(siteBucket().Properties.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logs,
    });
  });

  it("deploys after the Api, Auth and Storage stacks, whose values it builds with", () => {
    const order = stacks.map((fn) => fn.name as StackId);
    expect(order.indexOf("Web")).toBe(order.indexOf("Api") + 1);
    expect([...ctx.result.stacks.Web.dependsOn].sort()).toEqual(["Api", "Auth", "Storage"]);
    expect(ctx.result.stacks.Web.template.Outputs.WebDistributionDomainName.Value).toEqual({
      "Fn::GetAtt": [distribution().logicalId, "DomainName"],
    });
  });
}
