import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatSynthSummary } from "./synth-summary.js";

// Set before SST loads: it pulls in aws-sdk v2, whose end-of-support notice is noise here.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";
const { ROOT, synthesize } = await import("./synth.js");

/**
 * `pnpm synth --stage <stage> [--mode deploy|dev] [--out <dir>] [--nag]`: every stack's
 * CloudFormation template for a stage, synthesized offline through the same code as the infra
 * tests. --mode dev is what `sst dev` deploys (live Lambda stubs; default: deploy, what
 * `sst deploy` deploys). With --nag, cdk-nag's AwsSolutions findings are printed and any
 * error fails the command.
 */
const usage = "usage: pnpm synth --stage <stage> [--mode deploy|dev] [--out <dir>] [--nag]";
const MODES = ["deploy", "dev"] as const;

async function main(): Promise<number> {
  let values: { stage?: string; mode?: string; out?: string; nag?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        stage: { type: "string" },
        mode: { type: "string", default: "deploy" },
        out: { type: "string" },
        nag: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.stage) {
    console.error(`--stage is required\n${usage}`);
    return 2;
  }
  const mode = MODES.find((known) => known === values.mode);
  if (!mode) {
    console.error(`--mode must be deploy or dev, got "${values.mode}"\n${usage}`);
    return 2;
  }
  const folder = mode === "dev" ? `${values.stage}-dev` : values.stage;
  const out = path.resolve(values.out ?? path.join(ROOT, ".build", "synth", folder));

  const result = await synthesize({ stage: values.stage, mode, nag: values.nag });
  mkdirSync(out, { recursive: true });
  for (const { stackName, template } of Object.values(result.stacks)) {
    const file = path.join(out, `${stackName}.template.json`);
    writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
    console.log(`  ${file}`);
  }
  console.log(
    formatSynthSummary({
      stacks: Object.keys(result.stacks).length,
      stage: result.stage,
      mode: result.mode,
      account: result.account,
      region: result.region,
      out,
    }),
  );

  if (!values.nag) return 0;
  for (const finding of result.nag) {
    console.log(
      `${finding.level.toUpperCase()} ${finding.stackName} ${finding.path}\n  ${finding.message}`,
    );
  }
  const errors = result.nag.filter((finding) => finding.level === "error").length;
  console.log(
    `cdk-nag AwsSolutions: ${errors} error(s), ${result.nag.length - errors} other finding(s)`,
  );
  return errors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`synth failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
