import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { confirmUser } from "../auth/cognito.js";
import { AuthError, CodeField, EmailField, SubmitButton } from "../components/AuthFields.js";
import { useConfig } from "../config-context.js";

export function ConfirmPage() {
  const { mailUrl } = useConfig();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [code, setCode] = useState("");
  const confirm = useMutation({
    mutationFn: () => confirmUser(email, code),
    onSuccess: () =>
      navigate(`/sign-in?email=${encodeURIComponent(email)}`, { state: { confirmed: true } }),
  });

  return (
    <main className="narrow">
      <h1>Confirm your email address</h1>
      <p>We sent a confirmation code to your email address. Enter it here to finish signing up.</p>
      {mailUrl ? (
        <p className="notice" data-testid="confirmation-code-hint">
          This is the local stack: its mail goes to the{" "}
          <a href={mailUrl} target="_blank" rel="noreferrer">
            mail page
          </a>
          , where the code is.
        </p>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          confirm.mutate();
        }}
      >
        <EmailField value={email} onChange={setEmail} autoComplete="email" />
        <CodeField label="Confirmation code" value={code} onChange={setCode} />
        <AuthError error={confirm.error} />
        <SubmitButton pending={confirm.isPending} label="Confirm" pendingLabel="Confirming…" />
      </form>
    </main>
  );
}
