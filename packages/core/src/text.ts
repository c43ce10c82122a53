import * as z from "zod";

/**
 * The text rules every free text a user writes follows (listing fields, review reasons, photo
 * captions): trimmed, bounded, and no control characters, which would end up verbatim in
 * e-mails and pages. Prose (`text`) may keep newlines and tabs; a single line (`line`) may not.
 */
const noControl = (value: string) => !/\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ""));

export const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/\p{Cc}/u.test(v), "must not contain control characters");

export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(noControl, "must not contain control characters other than newlines and tabs");

export const required = (schema: z.ZodString) => schema.min(1, "must not be empty");
