import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@localstays/local/paths";
import { Command } from "commander";

/**
 * Test support for "every command we document or run in CI exists": finds the `pnpm ...`
 * commands in shell text (a workflow's `run:`, a doc's code block) and checks each against
 * the root package.json scripts and, for the `localstays` CLI, against the commands and
 * options its main.ts registers. Each problem is one sentence naming what is missing.
 */

// ---------------------------------------------------------------- the CLI as main.ts builds it

export interface CommandSpec {
  name: string;
  /** Long and short flags -> whether a value follows. */
  options: Map<string, { takesValue: boolean }>;
  subcommands: Map<string, CommandSpec>;
  /** Allowed values of each positional argument (undefined: any value). */
  argumentChoices: (readonly string[] | undefined)[];
}

function specOf(command: Command): CommandSpec {
  const options = new Map<string, { takesValue: boolean }>([
    ["--help", { takesValue: false }],
    ["-h", { takesValue: false }],
  ]);
  for (const option of command.options) {
    const takesValue = option.required || option.optional;
    if (option.long) options.set(option.long, { takesValue });
    if (option.short) options.set(option.short, { takesValue });
  }
  return {
    name: command.name(),
    options,
    subcommands: new Map(command.commands.map((sub) => [sub.name(), specOf(sub)])),
    argumentChoices: command.registeredArguments.map((argument) => argument.argChoices),
  };
}

const MAIN = "packages/cli/src/main.ts";

/**
 * The commands main.ts registers, built the way main.ts builds them (its `registerXCommand`
 * functions on a fresh program) without running main.ts, which would parse this process's
 * argv. Cheaper than one `--help` process per command.
 */
export async function cliCommands(): Promise<Map<string, CommandSpec>> {
  const main = readFileSync(join(repoRoot, MAIN), "utf8");
  const program = new Command("localstays");
  const imports = main.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\/(commands\/[\w./-]+)\.js"/g);
  for (const [, names = "", path] of imports) {
    const module = (await import(join(repoRoot, "packages/cli/src", `${path}.ts`))) as Record<
      string,
      unknown
    >;
    for (const name of names.split(",").map((n) => n.trim())) {
      const register = module[name];
      const called = new RegExp(`\\b${name}\\(\\s*program\\s*\\)`).test(main);
      if (typeof register === "function" && called) register(program);
    }
  }
  return new Map(program.commands.map((command) => [command.name(), specOf(command)]));
}

// ------------------------------------------------------------------ shell text -> pnpm commands

export interface FoundCommand {
  /** The command's first word: `pnpm`, `git`, ... */
  program: string;
  /** The words after it. */
  args: string[];
  /** Where it was found, e.g. `docs/operations.md:42`. */
  where: string;
  text: string;
}

/** `$(...)` bodies, innermost first, and the text with each replaced by a placeholder word. */
function commandSubstitutions(text: string): { outer: string; inner: string[] } {
  const inner: string[] = [];
  let outer = text;
  for (let start = outer.lastIndexOf("$("); start >= 0; start = outer.lastIndexOf("$(")) {
    const end = outer.indexOf(")", start);
    if (end < 0) break;
    inner.push(outer.slice(start + 2, end));
    outer = `${outer.slice(0, start)}SUBSTITUTION${outer.slice(end + 1)}`;
  }
  return { outer, inner };
}

const OPERATORS = ["&&", "||", ";", "|", "&"];
const REDIRECTION = /^(>>?|<)$/;

/** Words and operators of one (continuation-joined) line, quotes removed, comments dropped. */
function tokens(line: string): string[] {
  const out: string[] = [];
  let word = "";
  let quoted = false;
  const flush = () => {
    if (word || quoted) out.push(word);
    word = "";
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word += line.slice(i + 1, end < 0 ? undefined : end);
      quoted = true;
      i = end < 0 ? line.length : end;
    } else if (c === "#" && !word) {
      break;
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === ">" || c === "<") {
      // `2>&1` duplicates a descriptor (no target word); `>> file` and `< file` have one.
      if (/^\d$/.test(word)) word = "";
      flush();
      const op = line.startsWith(">>", i) ? ">>" : c;
      i += op.length - 1;
      const dup = /^&\d/.exec(line.slice(i + 1));
      if (dup) i += dup[0].length;
      else out.push(op);
    } else if (OPERATORS.some((op) => line.startsWith(op, i))) {
      flush();
      const op = OPERATORS.find((o) => line.startsWith(o, i)) ?? c;
      out.push(op);
      i += op.length - 1;
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

/** Every `pnpm ...` command in shell text, with the line it starts on. */
export function findPnpmCommands(text: string, source: string, firstLine = 1): FoundCommand[] {
  return findCommands(text, source, firstLine).filter((found) => found.program === "pnpm");
}

/**
 * Every simple command in shell text (split at `&&`, `||`, `;`, `|`, inside `$(...)` too),
 * without redirections and leading `NAME=value` assignments.
 */
export function findCommands(text: string, source: string, firstLine = 1): FoundCommand[] {
  // GitHub expressions hold spaces (`${{ github.base_ref }}`); they stand for one value.
  const lines = text.replace(/\$\{\{[^}]*\}\}/g, "EXPRESSION").split("\n");
  const found: FoundCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = firstLine + i;
    let line = lines[i] ?? "";
    while (line.endsWith("\\") && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} ${lines[++i] ?? ""}`;
    }
    const { outer, inner } = commandSubstitutions(line);
    for (const part of [...inner, outer]) {
      let words: string[] = [];
      const take = () => {
        // Leading `NAME=value` words are environment assignments, not the command.
        while (words[0] && /^[A-Za-z_]\w*=/.test(words[0])) words.shift();
        const [program, ...args] = words;
        if (program) {
          const text = words.join(" ");
          found.push({ program, args, where: `${source}:${lineNo}`, text });
        }
        words = [];
      };
      const all = tokens(part);
      for (let t = 0; t < all.length; t++) {
        const token = all[t] ?? "";
        if (OPERATORS.includes(token)) take();
        else if (REDIRECTION.test(token)) t++;
        else words.push(token);
      }
      take();
    }
  }
  return found;
}

const SHELL = new Set(["", "bash", "sh", "shell"]);

/** The commands of every shell code block of a markdown text, with their line numbers. */
export function shellBlockCommands(markdown: string, source: string): FoundCommand[] {
  const lines = markdown.split("\n");
  const found: FoundCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] ?? "");
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    if (SHELL.has(fence[1] ?? "")) {
      found.push(...findCommands(lines.slice(start, end).join("\n"), source, start + 1));
    }
    i = end;
  }
  return found;
}

// --------------------------------------------------------------------------- checking them

const PNPM_BUILTINS = new Set(["install", "i", "add", "remove", "exec", "dlx", "why", "list"]);
const CLI_SCRIPT = /^tsx packages\/cli\/src\/main\.ts(?:\s+(.*))?$/;

export function packageScripts(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return pkg.scripts;
}

function checkCli(args: string[], commands: Map<string, CommandSpec>): string[] {
  const [name, ...rest] = args;
  const known = [...commands.keys()].join(", ");
  if (!name || name.startsWith("-")) return [`localstays: no command given (registered: ${known})`];
  let spec = commands.get(name);
  if (!spec) return [`localstays ${name}: no such command (registered: ${known})`];
  const scope = [spec];
  let label = `localstays ${name}`;
  const problems: string[] = [];
  let positional = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? "";
    if (word.startsWith("-")) {
      const flag = word.split("=")[0] ?? word;
      const option = scope.map((s) => s.options.get(flag)).find(Boolean);
      if (!option) {
        const has = [...spec.options.keys()].filter((f) => f.startsWith("--") && f !== "--help");
        problems.push(`${label}: no ${flag} option (it has ${has.join(", ") || "none"})`);
      } else if (option.takesValue && !word.includes("=")) {
        i++;
      }
    } else if (spec.subcommands.size && positional === 0) {
      const sub = spec.subcommands.get(word);
      if (!sub) {
        problems.push(
          `${label}: no subcommand ${word} (it has ${[...spec.subcommands.keys()].join(", ")})`,
        );
        return problems;
      }
      spec = sub;
      scope.unshift(sub);
      label = `${label} ${word}`;
    } else {
      const choices = spec.argumentChoices[positional];
      if (choices && !choices.includes(word)) {
        problems.push(`${label}: "${word}" is not one of ${choices.join(", ")}`);
      }
      positional++;
    }
  }
  return problems;
}

/** Problems of one pnpm command: a missing script, CLI command, subcommand or option. */
export function checkPnpmCommand(
  found: FoundCommand,
  scripts: Record<string, string>,
  commands: Map<string, CommandSpec>,
): string[] {
  const args = [...found.args];
  while (args[0] === "-s" || args[0] === "--silent") args.shift();
  if (args[0] === "run") args.shift();
  const [script, ...rest] = args;
  const at = `${found.where}: \`${found.text}\``;
  if (!script || script.startsWith("-")) return [`${at}: not a script call pnpm can check`];
  if (PNPM_BUILTINS.has(script)) return [];
  const body = scripts[script];
  if (body === undefined) return [`${at}: no script "${script}" in package.json`];
  const cli = CLI_SCRIPT.exec(body);
  if (!cli) return [];
  const preset = cli[1]?.split(/\s+/).filter(Boolean) ?? [];
  return checkCli([...preset, ...rest], commands).map((problem) => `${at}: ${problem}`);
}
