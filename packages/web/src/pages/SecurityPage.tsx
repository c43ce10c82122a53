import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../auth/AuthProvider.js";
import { finishTotpSetup, startTotpSetup, totpEnabled } from "../auth/cognito.js";
import { AuthError, CodeField, SubmitButton } from "../components/AuthFields.js";

const totpKey = ["totp"] as const;

/**
 * Two-step sign-in with an authenticator app (TOTP). Admins need it on staging and prod: the
 * API grants admin rights only to users with a verified authenticator, and Cognito asks them
 * for a code at every sign-in from then on. Hosts may turn it on too.
 */
export function SecurityPage() {
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const enabled = useQuery({ queryKey: totpKey, queryFn: totpEnabled });
  const [code, setCode] = useState("");
  const starting = useMutation({ mutationFn: () => startTotpSetup(session?.email ?? "") });
  const finishing = useMutation({
    mutationFn: () => finishTotpSetup(code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: totpKey }),
  });

  return (
    <main className="narrow">
      <h1>Security</h1>
      {enabled.data ? (
        <p role="status" className="notice" data-testid="totp-on">
          Sign-in asks for a code from your authenticator app.
          {session?.isAdmin ? "" : " Admin rights take effect at your next sign-in."}
        </p>
      ) : (
        <>
          <p>
            Add an authenticator app (one-time codes, TOTP). Admins must have one to review
            listings.
          </p>
          {starting.data ? (
            <form
              onSubmit={(event) => {
                event.preventDefault();
                finishing.mutate();
              }}
            >
              <p>
                Add this key to your authenticator app, or open the link on your phone:
                <br />
                <code data-testid="totp-secret">{starting.data.secret}</code>
                <br />
                <a href={starting.data.uri}>Open in authenticator app</a>
              </p>
              <CodeField label="Code from the app" value={code} onChange={setCode} maxLength={6} />
              <AuthError error={finishing.error} />
              <SubmitButton
                pending={finishing.isPending}
                label="Turn on"
                pendingLabel="Checking…"
              />
            </form>
          ) : (
            <>
              <AuthError error={starting.error} />
              <button type="button" onClick={() => starting.mutate()} disabled={starting.isPending}>
                Set up an authenticator app
              </button>
            </>
          )}
        </>
      )}
    </main>
  );
}
