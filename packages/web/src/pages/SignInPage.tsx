import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useAuth } from "../auth/AuthProvider.js";
import {
  AuthError,
  CodeField,
  EmailField,
  PasswordField,
  SubmitButton,
} from "../components/AuthFields.js";

interface ArrivalState {
  /** Where a guarded page sent the visitor from. */
  from?: string;
  /** Just confirmed the sign-up. */
  confirmed?: boolean;
}

export function SignInPage() {
  const { session, signIn, confirmTotp } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const arrival = (location.state ?? {}) as ArrivalState;
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const signingIn = useMutation({
    mutationFn: () => signIn(email, password),
    onSuccess: (outcome) => {
      if (outcome === "confirm-sign-up") navigate(`/confirm?email=${encodeURIComponent(email)}`);
      else if (outcome === "signed-in") navigate(arrival.from ?? "/listings");
    },
  });
  const confirming = useMutation({
    mutationFn: () => confirmTotp(code),
    onSuccess: () => navigate(arrival.from ?? "/listings"),
  });

  if (signingIn.data === "totp-code" && !confirming.isSuccess) {
    return (
      <main className="narrow">
        <h1>Sign in</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            confirming.mutate();
          }}
        >
          <CodeField
            label="Code from your authenticator app"
            value={code}
            onChange={setCode}
            maxLength={6}
          />
          <AuthError error={confirming.error} />
          <SubmitButton pending={confirming.isPending} label="Sign in" pendingLabel="Checking…" />
        </form>
      </main>
    );
  }

  if (session && !signingIn.isPending) {
    return (
      <main className="narrow">
        <h1>Sign in</h1>
        <p>
          You are signed in as {session.name}. Go to <Link to="/listings">your listings</Link>.
        </p>
      </main>
    );
  }

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {arrival.confirmed ? (
        <p role="status" className="notice">
          Your email address is confirmed. Sign in to continue.
        </p>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          signingIn.mutate();
        }}
      >
        <EmailField value={email} onChange={setEmail} autoComplete="username" />
        <PasswordField value={password} onChange={setPassword} autoComplete="current-password" />
        <AuthError error={signingIn.error} />
        <SubmitButton pending={signingIn.isPending} label="Sign in" pendingLabel="Signing in…" />
      </form>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}
