import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { App, Stack } from "aws-cdk-lib";
import { AttributeType, BillingMode, Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";

/**
 * `stacks/synth-cli.ts` of the throw-away repositories promote-cli.test.ts checks: a
 * one-stack CDK app described by `app.json` in the repository, synthesized and written out
 * with the same arguments and summary line as the real stacks/synth-cli.ts.
 */
interface AppJson {
  indexes: string[];
  actions: string[];
}

const { values } = parseArgs({
  options: { stage: { type: "string" }, out: { type: "string" } },
});
const stage = values.stage as string;
const out = values.out as string;
const spec = JSON.parse(readFileSync("app.json", "utf8")) as AppJson;

const outdir = mkdtempSync(path.join(tmpdir(), "localstays-fixture-cdk-"));
const app = new App({ outdir });
const stackName = `Localstays${stage.charAt(0).toUpperCase()}${stage.slice(1)}DataStack`;
const stack = new Stack(app, stackName, {
  env: { account: "123456789012", region: "eu-north-1" },
});
const table = new Table(stack, "Table", {
  tableName: `localstays-${stage}`,
  partitionKey: { name: "pk", type: AttributeType.STRING },
  billingMode: BillingMode.PAY_PER_REQUEST,
});
for (const indexName of spec.indexes) {
  table.addGlobalSecondaryIndex({
    indexName,
    partitionKey: { name: `${indexName}pk`, type: AttributeType.STRING },
  });
}
const role = new Role(stack, "Reader", {
  assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
});
role.addToPolicy(new PolicyStatement({ actions: spec.actions, resources: [table.tableArn] }));

const template = app.synth().getStackByName(stackName).template;
mkdirSync(out, { recursive: true });
const file = path.join(out, `${stackName}.template.json`);
writeFileSync(file, JSON.stringify(template));
console.log(`  ${file}`);
console.log(
  `Synthesized 1 stacks for stage "${stage}" (account 123456789012, eu-north-1) into ${out}`,
);
rmSync(outdir, { recursive: true, force: true });
