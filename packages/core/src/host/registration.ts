/**
 * What a confirmed Cognito user's attributes become in its Host record. Cognito has already
 * accepted them and confirmed the user before the PostConfirmation trigger runs, so this never
 * refuses a name: it keeps what it can and falls back where nothing is left. The trigger and
 * `localstays hosts repair` both register hosts through it, and the sign-up form limits the
 * name field to the same length.
 */

/** Longest display name a Host record keeps, in UTF-16 code units (what zod and `maxLength` count). */
export const DISPLAY_NAME_MAX_LENGTH = 80;

/** Cognito's limit for any attribute value. */
export const EMAIL_MAX_LENGTH = 2048;

/** The display name when neither the name nor the e-mail leaves anything readable. */
export const FALLBACK_DISPLAY_NAME = "Host";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Cuts at a grapheme boundary, so an accent or an emoji sequence is never split. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = "";
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max) break;
    kept += segment;
  }
  return kept;
}

/**
 * A name as the Host record keeps it: composed (NFC), control characters and unpaired
 * surrogates turned into spaces (they would reach e-mails and dashboards verbatim), runs of
 * white space made one space, trimmed, and cut to DISPLAY_NAME_MAX_LENGTH. Empty when nothing
 * readable is left.
 */
export function normaliseDisplayName(raw: string | undefined): string {
  if (!raw) return "";
  const cleaned = raw
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cs}]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  return cut(cleaned, DISPLAY_NAME_MAX_LENGTH).trim();
}

/** The part before the last `@` (a quoted local part may contain one). */
function localPart(email: string): string {
  const at = email.lastIndexOf("@");
  return at === -1 ? email : email.slice(0, at);
}

/** The user attributes a trigger receives or ListUsers returns, by name. */
export type CognitoAttributes = Readonly<Record<string, string | undefined>>;

export interface Registration {
  cognitoSub: string;
  email: string;
  displayName: string;
}

/** A user without `sub` or `email`: the pool is misconfigured, not the user's input. */
export class IncompleteCognitoUser extends Error {
  override name = "IncompleteCognitoUser";
}

/**
 * The Host record of a confirmed user, from its Cognito attributes. Total for anything a user
 * can type: the name is normalised (normaliseDisplayName), else the e-mail's local part, else
 * FALLBACK_DISPLAY_NAME. The e-mail is kept exactly as Cognito holds it: it is the account's
 * sign-in name and where Cognito sent the confirmation code, so Cognito owns its format, and a
 * stricter check here (zod's `z.email()` refuses `josé@example.com`) would only leave a
 * confirmed user without a host. Throws IncompleteCognitoUser only when `sub` or `email` is
 * missing, which the pool's schema (e-mail required) rules out for a real sign-up.
 */
export function registrationOf(attributes: CognitoAttributes): Registration {
  const { sub, email } = attributes;
  if (!sub || !email) {
    throw new IncompleteCognitoUser(
      `Cognito user without ${sub ? "email" : "sub"}: the user pool must require both`,
    );
  }
  const displayName =
    normaliseDisplayName(attributes.name) ||
    normaliseDisplayName(localPart(email)) ||
    FALLBACK_DISPLAY_NAME;
  return { cognitoSub: sub, email, displayName };
}
