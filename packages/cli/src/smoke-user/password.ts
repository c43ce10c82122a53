import { randomInt } from "node:crypto";
import { UserPoolDefinition } from "@localstays/core/user-pool";

/** The pool's policy (core's UserPoolDefinition), widened so a test can ask for another. */
interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireDigits: boolean;
  requireSymbols: boolean;
}

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
// Cognito's symbol set, minus characters that need quoting in a shell or JSON.
const SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~+=-";

/**
 * A random password the pool accepts: every class its policy requires at least once, the
 * rest from all classes, shuffled, twice the policy's minimum length (at least 24). From
 * node:crypto, so nothing about it is guessable from the time or the stage.
 */
export function generatePassword(
  policy: PasswordPolicy = UserPoolDefinition.passwordPolicy,
): string {
  const classes = [
    policy.requireLowercase && LOWER,
    policy.requireUppercase && UPPER,
    policy.requireDigits && DIGITS,
    policy.requireSymbols && SYMBOLS,
  ].filter((c): c is string => typeof c === "string");
  const all = LOWER + UPPER + DIGITS + (policy.requireSymbols ? SYMBOLS : "");
  const length = Math.max(24, policy.minimumLength * 2);
  const pick = (from: string) => from[randomInt(from.length)] as string;
  const chars = classes.map(pick);
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates, so the required characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}
