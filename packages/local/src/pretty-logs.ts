/**
 * `pnpm start` on a terminal: the functions' JSON log lines (Powertools Logger) and EMF metric
 * lines (Powertools Metrics), exactly as CloudWatch receives them, shown one readable line
 * each. The handlers write the same JSON as in Lambda; only the terminal's rendering
 * differs, and `--json-logs` (or a pipe) keeps the raw lines.
 */
type Json = Record<string, unknown>;

/** Keys shown in the line's head, not repeated in its tail. */
const HEAD = new Set(["level", "message", "timestamp", "service", "sampling_rate"]);

const COLORS: Record<string, number> = { ERROR: 31, CRITICAL: 31, WARN: 33, INFO: 36, DEBUG: 90 };
const paint = (color: boolean, code: number, text: string) =>
  color ? `\x1b[${code}m${text}\x1b[0m` : text;

function parseObject(line: string): Json | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const time = (value: unknown) => {
  const date = new Date(
    typeof value === "number" || typeof value === "string" ? value : Date.now(),
  );
  return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(11, 23);
};

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: string }[];
}

function prettyMetrics(line: Json, color: boolean): string {
  const aws = line._aws as { Timestamp?: number; CloudWatchMetrics?: EmfDirective[] };
  const directives = aws.CloudWatchMetrics ?? [];
  const shown = new Set(["_aws"]);
  const parts = directives.map((directive) => {
    const values = directive.Metrics.map(({ Name, Unit }) => {
      shown.add(Name);
      const unit = Unit === "Milliseconds" ? " ms" : "";
      return `${Name}=${text(line[Name])}${unit}`;
    });
    const dimensionNames = [...new Set(directive.Dimensions.flat())];
    for (const name of dimensionNames) shown.add(name);
    const dimensions = dimensionNames.map((name) => `${name}=${text(line[name])}`).join(" ");
    return `${directive.Namespace} ${values.join(" ")} [${dimensions}]`;
  });
  const metadata = Object.entries(line)
    .filter(([key]) => !shown.has(key))
    .map(([key, value]) => `${key}=${text(value)}`);
  return [
    time(aws.Timestamp),
    paint(color, 35, "METRIC"),
    ...parts,
    ...(metadata.length ? [paint(color, 90, metadata.join(" "))] : []),
  ].join(" ");
}

function prettyLog(line: Json, color: boolean): string {
  const level = text(line.level);
  const tail = Object.entries(line)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${key}=${text(value)}`);
  return [
    time(line.timestamp),
    paint(color, COLORS[level] ?? 0, level.padEnd(5)),
    paint(color, 90, text(line.service ?? "")),
    text(line.message),
    ...(tail.length ? [paint(color, 90, tail.join(" "))] : []),
  ].join(" ");
}

/** A Powertools log line or an EMF line as one readable line; anything else unchanged. */
export function prettyLogLine(line: string, color = false): string {
  const json = parseObject(line);
  if (!json) return line;
  if (json._aws && typeof json._aws === "object") return prettyMetrics(json, color);
  if (typeof json.level === "string" && "message" in json) return prettyLog(json, color);
  return line;
}

/**
 * Renders every complete line written to `stream` with `prettyLogLine` (Powertools writes to
 * process.stdout through its own Console). Returns the function that restores the stream.
 */
export function prettyPrintLogs(stream: NodeJS.WriteStream, color: boolean): () => void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let pending = "";
  const pretty = (chunk: unknown, ...rest: unknown[]) => {
    pending +=
      typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    const out = lines.map((line) => `${prettyLogLine(line, color)}\n`).join("");
    return write(out, ...rest);
  };
  stream.write = pretty as typeof stream.write;
  return () => {
    stream.write = write as typeof stream.write;
    if (pending) write(pending);
  };
}
