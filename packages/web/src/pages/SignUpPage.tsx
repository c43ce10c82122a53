import { DISPLAY_NAME_MAX_LENGTH } from "@localstays/core/host/registration";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { signUpUser } from "../auth/cognito.js";
import { PASSWORD_HINT } from "../auth/errors.js";
import {
  AuthError,
  AuthInput,
  EmailField,
  PasswordField,
  SubmitButton,
} from "../components/AuthFields.js";

export function SignUpPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const signUp = useMutation({
    mutationFn: () => signUpUser(form),
    onSuccess: () => navigate(`/confirm?email=${encodeURIComponent(form.email)}`),
  });
  const set = (name: keyof typeof form) => (value: string) => setForm({ ...form, [name]: value });

  return (
    <main className="narrow">
      <h1>Create your host account</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signUp.mutate();
        }}
      >
        <AuthInput
          label="Your name"
          autoComplete="name"
          maxLength={DISPLAY_NAME_MAX_LENGTH}
          hint={`As hosts and guests will see it; up to ${DISPLAY_NAME_MAX_LENGTH} characters.`}
          value={form.name}
          onChange={set("name")}
        />
        <EmailField value={form.email} onChange={set("email")} autoComplete="email" />
        <PasswordField
          value={form.password}
          onChange={set("password")}
          autoComplete="new-password"
          hint={PASSWORD_HINT}
        />
        <AuthError error={signUp.error} />
        <SubmitButton
          pending={signUp.isPending}
          label="Create account"
          pendingLabel="Creating account…"
        />
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
