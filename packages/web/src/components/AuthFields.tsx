import type { HTMLInputAutoCompleteAttribute, ReactNode } from "react";
import { describeAuthError } from "../auth/errors.js";
import { Field } from "./Field.js";

interface AuthInputProps {
  label: string;
  value: string;
  onChange(value: string): void;
  autoComplete: HTMLInputAutoCompleteAttribute;
  type?: "email" | "password";
  inputMode?: "numeric";
  maxLength?: number;
  hint?: ReactNode;
}

/** A required text input of an auth form; each form needs all of its fields. */
export function AuthInput({ label, hint, onChange, ...input }: AuthInputProps) {
  return (
    <Field label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          {...input}
          required
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

type FixedProps = "label" | "type" | "inputMode";

export function EmailField(
  props: Omit<AuthInputProps, FixedProps | "hint"> & {
    /** "username" where it signs in, so password managers pair it with the password. */
    autoComplete: "username" | "email";
  },
) {
  return <AuthInput {...props} label="Email" type="email" />;
}

export function PasswordField(
  props: Omit<AuthInputProps, FixedProps> & {
    /** Tells password managers whether to fill a saved password or offer a new one. */
    autoComplete: "current-password" | "new-password";
  },
) {
  return <AuthInput {...props} label="Password" type="password" />;
}

/**
 * A one-time code: the e-mailed confirmation code, or an authenticator app's six digits
 * (`maxLength` 6). Numeric keyboard on phones, and the browser may fill it from the message.
 */
export function CodeField(
  props: Omit<AuthInputProps, FixedProps | "autoComplete" | "hint"> & { label: string },
) {
  return <AuthInput {...props} inputMode="numeric" autoComplete="one-time-code" />;
}

/** What went wrong with the sign-in service, in plain words; nothing while all is well. */
export function AuthError({ error }: { error: Error | null }) {
  return error ? (
    <p role="alert" className="error">
      {describeAuthError(error)}
    </p>
  ) : null;
}

/** Disabled while the request is on its way, so a second click cannot send it twice. */
export function SubmitButton({
  pending,
  label,
  pendingLabel,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
}) {
  return (
    <button type="submit" disabled={pending}>
      {pending ? pendingLabel : label}
    </button>
  );
}
