import type { HttpTarget } from "./autocannon.js";
import type { CoreClient } from "./dynamo-wire.js";
import { fixed } from "./format.js";

/** One DynamoDB call and the capacity DynamoDB reported for it. */
export interface CapacityRecord {
  command: string;
  index?: string;
  limit?: number;
  capacityUnits: number | null;
  count?: number;
  scannedCount?: number;
}

/** The DynamoDB calls one operation made, and their total. */
export interface CapacityRow {
  operation: string;
  calls: CapacityRecord[];
  totalCapacityUnits: number;
}

type RawInput = Record<string, unknown>;
type RawOutput = {
  ConsumedCapacity?: { CapacityUnits?: number };
  Count?: number;
  ScannedCount?: number;
};

function recordOf(command: string, input: RawInput, output: RawOutput): CapacityRecord {
  return {
    command,
    ...(typeof input.IndexName === "string" ? { index: input.IndexName } : {}),
    ...(typeof input.Limit === "number" ? { limit: input.Limit } : {}),
    capacityUnits: output.ConsumedCapacity?.CapacityUnits ?? null,
    ...(output.Count === undefined ? {} : { count: output.Count }),
    ...(output.ScannedCount === undefined ? {} : { scannedCount: output.ScannedCount }),
  };
}

export function capacityRow(operation: string, calls: CapacityRecord[]): CapacityRow {
  return {
    operation,
    calls,
    totalCapacityUnits: calls.reduce((sum, c) => sum + (c.capacityUnits ?? 0), 0),
  };
}

/**
 * A middleware on `client` (core's one client, so the handlers' calls go through it too): every
 * command asks for `ReturnConsumedCapacity: "TOTAL"`; what the calls made during `during(fn)`
 * report is returned. Attach it only around single requests, never during timed runs, and
 * `remove()` it afterwards.
 */
export function capacityRecorder(client: CoreClient) {
  const name = "benchConsumedCapacity";
  let records: CapacityRecord[] | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as RawInput;
      input.ReturnConsumedCapacity = "TOTAL";
      const result = await next(args);
      records?.push(recordOf(context.commandName ?? "?", input, result.output as RawOutput));
      return result;
    },
    { step: "initialize", name },
  );
  return {
    async during(fn: () => Promise<void>): Promise<CapacityRecord[]> {
      records = [];
      try {
        await fn();
        return records;
      } finally {
        records = undefined;
      }
    },
    remove() {
      client.middlewareStack.remove(name);
    },
  };
}

/** Replays a captured request (captureWire) once, asking for the consumed capacity. */
export async function wireCapacity(operation: string, target: HttpTarget): Promise<CapacityRecord> {
  const input = JSON.parse(target.body ?? "{}") as RawInput;
  const response = await fetch(target.url, {
    method: "POST",
    ...(target.headers ? { headers: target.headers } : {}),
    body: JSON.stringify({ ...input, ReturnConsumedCapacity: "TOTAL" }),
  });
  const output = (await response.json()) as RawOutput;
  if (response.status !== 200) {
    throw new Error(`Raw ${operation} answered ${response.status}: ${JSON.stringify(output)}`);
  }
  return recordOf(operation, input, output);
}

/** `operation   4.5 RCU   Query GSI4 Limit=21 count=21/scanned=21 4.5 RCU`, one line a row. */
export function capacityTable(rows: CapacityRow[]): string {
  const lines = rows.map((row) => {
    const calls = row.calls
      .map((c) => {
        const parts = [c.command.replace(/Command$/, "")];
        if (c.index) parts.push(c.index);
        if (c.limit !== undefined) parts.push(`Limit=${c.limit}`);
        if (c.count !== undefined) parts.push(`count=${c.count}/scanned=${c.scannedCount}`);
        parts.push(`${c.capacityUnits ?? "?"} RCU`);
        return parts.join(" ");
      })
      .join("; ");
    return `${row.operation.padEnd(48)}${fixed(row.totalCapacityUnits, 1).padStart(6)} RCU   ${calls}`;
  });
  return lines.join("\n");
}
