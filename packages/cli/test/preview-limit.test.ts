import {
  CloudFormationClient,
  ListStacksCommand,
  type StackSummary,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { previewLimit, previewStages } from "../src/commands/preview-limit.js";
import { CliError } from "../src/errors.js";

/** `localstays preview-limit` (preview.yml, before a preview is deployed) on ListStacks pages. */
const cloudFormation = mockClient(CloudFormationClient);

const summary = (name: string): StackSummary => ({
  StackName: name,
  StackId: `arn:aws:cloudformation:eu-north-1:041608526793:stack/${name}/0b1c2d3e`,
  CreationTime: new Date("2026-12-01T10:00:00Z"),
  StackStatus: "UPDATE_COMPLETE",
});
/** A preview's stacks as stacks/stage.ts names them. */
const preview = (n: number) =>
  ["Params", "Data", "Api"].map((id) => summary(`LocalstaysPr-${n}${id}Stack`));

function listed(...pages: StackSummary[][]) {
  const command = cloudFormation.on(ListStacksCommand);
  pages.forEach((page, i) => {
    const next = i < pages.length - 1 ? { NextToken: `page-${i + 1}` } : {};
    command.resolvesOnce({ StackSummaries: page, ...next });
  });
}

const client = () => new CloudFormationClient({ region: "eu-north-1" });
const run = (stage: string, max: number) =>
  previewLimit({ stage, max }, { cloudFormation: client(), print: () => undefined });

beforeEach(() => cloudFormation.reset());

describe("localstays preview-limit", () => {
  it("counts the pr-<n> stages by their Params stack, over every page, ignoring the named and personal stages", async () => {
    listed(
      [...preview(12), summary("LocalstaysDev1ParamsStack"), summary("LocalstaysAliceParamsStack")],
      [...preview(7), summary("LocalstaysStagingDataStack"), summary("CDKToolkit")],
    );
    expect(await previewStages(client())).toEqual(["pr-7", "pr-12"]);
    // Deleted stacks do not count: the filter asks for every other status.
    const [call] = cloudFormation.commandCalls(ListStacksCommand);
    expect(call?.args[0].input.StackStatusFilter).not.toContain("DELETE_COMPLETE");
    expect(call?.args[0].input.StackStatusFilter).toContain("DELETE_FAILED");
  });

  it("refuses a new preview at the limit, naming the previews that hold it", async () => {
    listed([...preview(1), ...preview(2), ...preview(3)]);
    const refused = run("pr-4", 3);
    await expect(refused).rejects.toThrow(CliError);
    await expect(refused).rejects.toThrow(
      /^3 previews exist \(pr-1, pr-2, pr-3\), the limit is 3: no preview for pr-4/,
    );
  });

  it("deploys a new preview below the limit, and always updates an existing one", async () => {
    listed([...preview(1), ...preview(2)]);
    expect(await run("pr-4", 3)).toEqual(["pr-1", "pr-2"]);
    cloudFormation.reset();
    listed([...preview(1), ...preview(2), ...preview(3)]);
    expect(await run("pr-2", 3)).toEqual(["pr-1", "pr-2", "pr-3"]);
  });

  it("takes only pr-<number> stages", async () => {
    await expect(run("dev1", 3)).rejects.toThrow(/dev1 is not a preview stage/);
    await expect(run("pr-0", 3)).rejects.toThrow(/not a preview stage/);
  });
});
