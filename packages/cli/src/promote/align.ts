import { literal, PASCAL_STAGE, STAGE } from "./normalise.js";
import { isObject, type Json, type Template } from "./side.js";

/**
 * Between two stages of one tree, what normalise.ts leaves naming the stage: names and
 * logical ids derived from it that no substitution undoes (CDK's hashed unique names,
 * names cut to a length limit). Used only across stages; within one stage a different
 * name is a real rename.
 */

/** Whether a (normalised) string still names the stage: as a token or glued into a word. */
function namesStage(text: string, stage: string): boolean {
  return (
    text.includes(STAGE) ||
    text.includes(PASCAL_STAGE) ||
    text.toLowerCase().includes(stage.toLowerCase())
  );
}

interface Stages {
  before: string;
  after: string;
}

/**
 * A stage-derived name without what the stage puts into it: the stage (any case, also
 * glued into a word) and hash-like parts (CDK's 8 upper-case hex, a name cut to a limit's
 * `-` + 8 lower-case hex).
 */
function nameStem(text: string, stage: string): string {
  return text
    .replace(/<stage>|<Stage>/g, "\0")
    .replace(new RegExp(literal(stage), "gi"), "\0")
    .replace(/[0-9A-F]{8}(?![0-9A-Za-z])/g, "")
    .replace(/-+[0-9a-f]{8}(?![0-9a-z])/g, "");
}

/**
 * Two strings that each name their own stage are the same name when their stems are equal,
 * or, for long names of which at least one was cut to a length limit (and so has a hash),
 * when one stem is the other with a short run of characters removed (the cut moves with
 * the stage's length).
 */
function sameDerivedName(before: string, after: string, stages: Stages): boolean {
  if (!namesStage(before, stages.before) || !namesStage(after, stages.after)) return false;
  const [a, b] = [nameStem(before, stages.before), nameStem(after, stages.after)];
  if (a === b) return true;
  // Only a name that was cut carries a hash; two uncut names that differ are different.
  const wasCut = (text: string, stem: string) => text.length - stem.length >= 8;
  if (!wasCut(before, a) && !wasCut(after, b)) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // What a cut can remove: the difference in the stages' lengths plus a `-` + hash suffix.
  const slack = Math.abs(stages.before.length - stages.after.length) + 12;
  if (long.length < 40 || long.length - short.length > slack) return false;
  let prefix = 0;
  while (prefix < short.length && short[prefix] === long[prefix]) prefix++;
  const rest = short.length - prefix;
  return short.slice(prefix) === long.slice(long.length - rest);
}

function align(before: Json, after: Json, stages: Stages): Json {
  if (typeof before === "string" && typeof after === "string") {
    return before !== after && sameDerivedName(before, after, stages) ? before : after;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return after.map((item, index) =>
      index < before.length ? align(before[index] as Json, item, stages) : item,
    );
  }
  if (isObject(before) && isObject(after)) {
    return Object.fromEntries(
      Object.entries(after).map(([key, item]) => [
        key,
        key in before ? align(before[key] as Json, item, stages) : item,
      ]),
    );
  }
  return after;
}

/**
 * A logical id without what a stage puts into it: the stage itself (any case, glued into
 * a word), CDK's path hashes at its end (8 upper-case hex each) and a name hash before
 * them (8 lower-case hex, from names cut to a length limit).
 */
function idStem(id: string, stage: string): string {
  return id
    .replace(/<stage>|<Stage>/g, "\0")
    .replace(new RegExp(literal(stage), "gi"), "\0")
    .replace(/(?:[0-9A-F]{8})+$/, "")
    .replace(/[0-9a-f]{8}$/, "");
}

/** Same stem, or one cut short of the other (names cut to a limit that moves with the stage). */
function sameStem(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short === long || (short.length >= 12 && long.startsWith(short));
}

function typesOf(template: Template): Map<string, string> {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const outputs = isObject(template.Outputs) ? template.Outputs : {};
  return new Map([
    ...Object.entries(resources).map(
      ([id, resource]) => [id, isObject(resource) ? String(resource.Type) : ""] as const,
    ),
    ...Object.keys(outputs).map((id) => [id, "Output"] as const),
  ]);
}

/**
 * Logical ids derived from a stage-derived path or name differ between stages: an event
 * source on another stack's queue (`...SqsEventSourcedev1localstaysImagesUploads0115BDD8...`),
 * an alarm named after a function name that was cut to 64 characters. An id only `after`
 * has takes the id of the one resource of the same type only `before` has with the same
 * stem, everywhere it occurs.
 */
function renameStageDerivedIds(before: Template, after: Template, stages: Stages): Template {
  const [old, now] = [typesOf(before), typesOf(after)];
  const unmatched = [...old].filter(([id]) => !now.has(id));
  const renames = new Map<string, string>();
  for (const [id, type] of [...now].filter(([i]) => !old.has(i))) {
    const stem = idStem(id, stages.after);
    const matches = unmatched.filter(
      ([candidate, candidateType]) =>
        candidateType === type && sameStem(idStem(candidate, stages.before), stem),
    );
    const [match] = matches;
    if (matches.length === 1 && match && ![...renames.values()].includes(match[0])) {
      renames.set(id, match[0]);
    }
  }
  if (renames.size === 0) return after;
  let text = JSON.stringify(after);
  for (const [from, to] of renames) {
    text = text.replace(new RegExp(`(?<![A-Za-z0-9])${literal(from)}(?![A-Za-z0-9])`, "g"), to);
  }
  return JSON.parse(text) as Template;
}

/**
 * Names derived from the stage that a substitution cannot undo: CDK's unique names
 * (`dev1localstaysStorageImmutableImages45188EAB`, cut in the middle to fit a length
 * limit, with a hash of the full path) and names cut to a limit with a hash suffix
 * (`localstays-dev1-DELETE-hosts-hostId-listings-listingId--825deff0`). At the same place
 * in both templates, such a name of `after` takes its counterpart's value from `before`
 * (sameDerivedName); logical ids are matched by their stem. Never used within one stage,
 * where a different name is a real rename.
 */
export function alignStageDerivedNames(
  before: Template,
  after: Template,
  stages: Stages,
): Template {
  return align(before, renameStageDerivedIds(before, after, stages), stages) as Template;
}
