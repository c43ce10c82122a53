import type { z } from "zod";
import { ValidationError } from "./errors.js";

/** Parses untrusted input; failures become a ValidationError with per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.length ? issue.path.join(".") : "(root)";
    fields[path] = [...(fields[path] ?? []), issue.message];
  }
  throw new ValidationError("The request is not valid", { fields });
}
