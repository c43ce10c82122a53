import { gunzipSync } from "node:zlib";

/**
 * Bytes of a bundle by the module they come from, read from the bundle's source map: SST
 * bundles with esbuild's metafile but keeps only the map (gzipped, staged as its own asset
 * for the sourcemap uploader), so the map is what tells which input produced which output.
 * Every generated segment is charged to the source its mapping names, from its column to the
 * next segment's; lines and unmapped stretches (esbuild's runtime helpers, the banner) are
 * charged to "(unmapped)". Columns are UTF-16 units: the split is exact for ASCII output.
 */
export interface ModuleBytes {
  module: string;
  bytes: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

/** The fields of one mapping segment (VLQ-decoded, still relative to the previous one). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`Not a source map segment: ${segment}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

interface SourceMap {
  sources: string[];
  mappings: string;
}

/** `map` as staged (gzipped JSON) or plain; `code` is the bundle it maps. */
export function bytesBySource(map: Buffer, code: string): Map<string, number> {
  const json = map[0] === 0x1f && map[1] === 0x8b ? gunzipSync(map) : map;
  const { sources, mappings } = JSON.parse(json.toString("utf8")) as SourceMap;
  const lines = code.split("\n");
  const totals = new Map<string, number>();
  const charge = (source: string, bytes: number) => {
    if (bytes > 0) totals.set(source, (totals.get(source) ?? 0) + bytes);
  };
  let sourceIndex = 0;
  mappings.split(";").forEach((lineMappings, lineIndex) => {
    const line = lines[lineIndex] ?? "";
    let column = 0;
    let from = 0;
    let current = "(unmapped)";
    for (const segment of lineMappings ? lineMappings.split(",") : []) {
      const fields = decodeSegment(segment);
      column += fields[0] ?? 0;
      charge(current, Buffer.byteLength(line.slice(from, column)));
      from = column;
      if (fields.length >= 4) {
        sourceIndex += fields[1] ?? 0;
        current = sources[sourceIndex] ?? "(unmapped)";
      } else current = "(unmapped)";
    }
    // The rest of the line, and its newline.
    charge(current, Buffer.byteLength(line.slice(from)) + 1);
  });
  return totals;
}

/**
 * A source path as the module it belongs to: the npm package for anything under
 * node_modules (`@aws-sdk/client-dynamodb`), the workspace file otherwise.
 */
export function moduleOf(source: string): string {
  const parts = source.split("/");
  const last = parts.lastIndexOf("node_modules");
  if (last < 0) return parts.filter((part) => part !== "..").join("/");
  const name = parts[last + 1] ?? source;
  return name.startsWith("@") ? `${name}/${parts[last + 2]}` : name;
}

/** Bytes per module, largest first. */
export function bytesByModule(map: Buffer, code: string): ModuleBytes[] {
  const totals = new Map<string, number>();
  for (const [source, bytes] of bytesBySource(map, code)) {
    const module = moduleOf(source);
    totals.set(module, (totals.get(module) ?? 0) + bytes);
  }
  return [...totals]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}
