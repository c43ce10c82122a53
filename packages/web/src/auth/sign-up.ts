import { normaliseDisplayName } from "@localstays/core/host/registration";

/**
 * The Cognito attributes of a sign-up: the name as the Host record will keep it (the
 * PostConfirmation trigger normalises with the same function), so the name in the ID token
 * and the host's profile agree. A name with nothing readable is left out; the trigger then
 * names the host after the e-mail.
 */
export function signUpAttributes(input: { name: string; email: string }): Record<string, string> {
  const name = normaliseDisplayName(input.name);
  return { email: input.email, ...(name ? { name } : {}) };
}
