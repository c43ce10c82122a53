import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { restoredTableName, tableName } from "@localstays/core/table";
import { repoRoot } from "@localstays/local/paths";
import { describe, expect, it } from "vitest";
import {
  alarmChannelName,
  alarmNames,
  releaseApplicationName,
  watchedFunctions,
} from "../../../stacks/names.js";
import {
  outboxDeadLetterQueueName,
  uploadsDeadLetterQueueName,
  uploadsQueueName,
} from "../../functions/src/function-names.js";
import { type FoundCommand, findCommands, shellBlockCommands } from "./pnpm-commands.js";

/**
 * What README.md and docs/*.md say about names and stages must be what the code does:
 * - every resource name they give (`localstays-<stage>-...`) is one the naming helpers make
 *   (stacks/names.ts, packages/functions/src/function-names.ts, core's table name; the infra
 *   tests check that the synthesized alarms are exactly `alarmNames`), a name is written in
 *   full, and an "alarm `X`" is an alarm, a "queue `X`" a queue, and so on;
 * - every `sst` command they show names its stage: without `--stage`, SST uses the personal
 *   stage of whoever runs it (`.sst/stage`), which is never what a doc means. An inline
 *   `sst deploy` of two words names the command in prose and is not a line to run.
 */
const DOCS = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`),
];
const docs = DOCS.map((path) => ({ path, text: readFileSync(join(repoRoot, path), "utf8") }));

interface Span {
  text: string;
  /** The words before it on its line: "... (alarm". */
  before: string;
  path: string;
  line: number;
  where: string;
}

/** The inline code spans outside fenced code blocks. */
function inlineSpans({ path, text }: { path: string; text: string }): Span[] {
  const spans: Span[] = [];
  let fenced = false;
  for (const [index, line] of text.split("\n").entries()) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const match of line.matchAll(/`([^`]+)`/g)) {
      spans.push({
        text: match[1] ?? "",
        before: line.slice(0, match.index),
        path,
        line: index + 1,
        where: `${path}:${index + 1}`,
      });
    }
  }
  return spans;
}

// ------------------------------------------------------------------------ resource names

type Kind = "alarm" | "queue" | "function" | "table" | "channel" | "application";

/** Every name the code gives a stage's resources, by kind. */
function namesOf(stage: string): Record<Kind, string[]> {
  return {
    alarm: alarmNames(stage),
    queue: [
      uploadsQueueName(stage),
      uploadsDeadLetterQueueName(stage),
      outboxDeadLetterQueueName(stage),
    ],
    function: watchedFunctions(stage).map(({ name }) => name),
    // The local stack's bucket is named like its table (`localstays-local`).
    // A restore's table carries its time; the docs' example is this one.
    table: [tableName(stage), restoredTableName(stage, new Date("2026-12-02T15:00:00Z"))],
    channel: [alarmChannelName(stage)],
    application: [releaseApplicationName(stage, "api"), releaseApplicationName(stage, "images")],
  };
}

const EXAMPLE_STAGE = "dev1";
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether a documented name is one of `names`: `<placeholder>`s stand for any text (names of
 * a `<stage>` are checked against an example stage's, see stageOf).
 */
function isOneOf(documented: string, names: string[]): boolean {
  const pattern = new RegExp(`^${escapeRegExp(documented).replace(/<[^>]+>/g, ".+")}$`);
  return names.some((name) => pattern.test(name));
}

function stageOf(name: string): string {
  const stage = name.slice("localstays-".length).split("-")[0] ?? "";
  return /^<[^>]+>$/.test(stage) ? EXAMPLE_STAGE : stage;
}

function allNames(stage: string): string[] {
  return Object.values(namesOf(stage)).flat();
}

/** Problems with the resource names of a doc, one sentence each. */
function nameProblems(doc: { path: string; text: string }): string[] {
  const problems: string[] = [];
  for (const [index, line] of doc.text.split("\n").entries()) {
    for (const [name] of line.matchAll(/(?<![\w-])localstays-[\w<>{}-]*[\w>}]/g)) {
      if (!isOneOf(name, allNames(stageOf(name)))) {
        problems.push(`${doc.path}:${index + 1}: no resource of the code is called ${name}`);
      }
    }
  }
  const prefix = `localstays-${EXAMPLE_STAGE}-`;
  const suffixes = new Set(allNames(EXAMPLE_STAGE).map((name) => name.slice(prefix.length)));
  for (const span of inlineSpans(doc)) {
    if (suffixes.has(span.text)) {
      problems.push(
        `${span.where}: \`${span.text}\` is part of a name: write it in full, \`localstays-<stage>-${span.text}\``,
      );
    }
    const kind = /\b(alarm|queue|function|table|channel|application)\s*$/i
      .exec(span.before)?.[1]
      ?.toLowerCase() as Kind | undefined;
    // A name has no spaces: "table `pnpm start`" is a sentence running on, not a name.
    if (kind && !/\s/.test(span.text) && !isOneOf(span.text, namesOf(stageOf(span.text))[kind])) {
      problems.push(`${span.where}: \`${span.text}\` is no ${kind} name of the code`);
    }
  }
  return problems;
}

describe("resource names in the docs", () => {
  it("finds the names it checks", () => {
    const spans = docs.flatMap(inlineSpans).filter((s) => s.text.startsWith("localstays-"));
    expect(spans.length).toBeGreaterThan(3);
  });

  it("names only resources the code creates, in full, and of the kind the text says", () => {
    expect(docs.flatMap(nameProblems)).toEqual([]);
  });

  it("catches a name the code does not make, a bare suffix and a queue called an alarm", () => {
    const doc = (text: string) => nameProblems({ path: "x.md", text });
    expect(doc("Uploads wait in the dead-letter queue (alarm `image-uploads-dlq`).")).toEqual([
      "x.md:1: `image-uploads-dlq` is part of a name: write it in full, `localstays-<stage>-image-uploads-dlq`",
      "x.md:1: `image-uploads-dlq` is no alarm name of the code",
    ]);
    expect(doc("alarm `localstays-<stage>-image-uploads-dlq`")).toEqual([
      "x.md:1: `localstays-<stage>-image-uploads-dlq` is no alarm name of the code",
    ]);
    expect(doc("see `localstays-staging-uploads-alarm`")).toEqual([
      "x.md:1: no resource of the code is called localstays-staging-uploads-alarm",
    ]);
    expect(
      doc(
        "alarm `localstays-<stage>-image-dlq-not-empty` on queue `localstays-prod-image-uploads-dlq`, " +
          "alarms `localstays-<stage>-errors-<function>`, table `localstays-local`",
      ),
    ).toEqual([]);
  });
});

// --------------------------------------------------------------------------- sst --stage

interface PackageScripts {
  name: string;
  scripts: Record<string, string>;
}

function workspacePackages(): PackageScripts[] {
  const read = (dir: string) =>
    JSON.parse(readFileSync(join(repoRoot, dir, "package.json"), "utf8")) as PackageScripts;
  const packages = readdirSync(join(repoRoot, "packages")).map((dir) => read(`packages/${dir}`));
  return [read("."), ...packages];
}

/**
 * The sst commands a documented command runs: itself, or, for `pnpm [--filter <package>]
 * <script> [args]`, the script's commands with the arguments appended (as pnpm does).
 */
function sstCommandsOf(found: FoundCommand, packages: PackageScripts[]): FoundCommand[] {
  if (found.program === "sst") return [found];
  if (found.program !== "pnpm") return [];
  const args = found.args.filter((a) => a !== "-s" && a !== "--silent");
  let pkg = packages[0];
  const filter = args.indexOf("--filter");
  if (filter >= 0) {
    pkg = packages.find((p) => p.name === args[filter + 1]);
    args.splice(filter, 2);
  }
  if (args[0] === "run") args.shift();
  const [script, ...rest] = args;
  const body = script ? pkg?.scripts[script] : undefined;
  if (body === undefined) return [];
  return findCommands(`${body} ${rest.join(" ")}`, found.where)
    .filter((command) => command.program === "sst")
    .map((command) => ({ ...command, where: found.where, text: found.text }));
}

/** Documented commands that run sst without `--stage`. */
function sstWithoutStage(doc: { path: string; text: string }): string[] {
  const packages = workspacePackages();
  const inline = inlineSpans(doc)
    .filter((span) => /^(pnpm|sst)\s/.test(span.text))
    // `sst deploy` in a sentence names the command; it is not a line to run.
    .filter((span) => !/^sst [a-z]+$/.test(span.text.trim()))
    .flatMap((span) => findCommands(span.text, span.path, span.line));
  return [...shellBlockCommands(doc.text, doc.path), ...inline]
    .flatMap((found) => sstCommandsOf(found, packages).map((sst) => ({ found, sst })))
    .filter(({ sst }) => !sst.args.some((a) => a === "--stage" || a.startsWith("--stage=")))
    .map(({ found }) => `${found.where}: \`${found.text}\` runs sst without --stage`);
}

describe("sst commands in the docs", () => {
  it("name their stage", () => {
    const runs = docs.flatMap((doc) =>
      shellBlockCommands(doc.text, doc.path).filter(
        (c) => sstCommandsOf(c, workspacePackages()).length > 0,
      ),
    );
    expect(runs.length).toBeGreaterThan(5);
    expect(docs.flatMap(sstWithoutStage)).toEqual([]);
  });

  it("catches a missing --stage in a code block, in a script and inline", () => {
    const doc = (text: string) => sstWithoutStage({ path: "x.md", text });
    expect(doc("```bash\npnpm sst console    # the console\n```")).toEqual([
      "x.md:2: `pnpm sst console` runs sst without --stage",
    ]);
    expect(doc("then `pnpm --filter @localstays/web dev` (`sst bind vite`)")).toEqual([
      "x.md:1: `pnpm --filter @localstays/web dev` runs sst without --stage",
      "x.md:1: `sst bind vite` runs sst without --stage",
    ]);
    expect(
      doc("`pnpm --filter @localstays/web dev --stage dev1`, `sst deploy` builds it, `pnpm test`"),
    ).toEqual([]);
  });
});
