import { useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { useConfig } from "../config-context.js";
import type { Session } from "./claims.js";
import {
  confirmTotpCode,
  loadSession,
  type SignInOutcome,
  signInUser,
  signOutUser,
} from "./cognito.js";

interface Auth {
  /** undefined while the stored session is read; null when signed out. */
  session: Session | null | undefined;
  signIn(email: string, password: string): Promise<SignInOutcome>;
  /** After signIn answered "totp-code": the code from the authenticator app. */
  confirmTotp(code: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const { authFlow } = useConfig();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    loadSession().then(setSession);
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const outcome = await signInUser(email, password, authFlow);
      if (outcome === "signed-in") {
        // Another user's cached data must not show for this one.
        queryClient.clear();
        setSession(await loadSession());
      }
      return outcome;
    },
    [authFlow, queryClient],
  );

  const confirmTotp = useCallback(
    async (code: string) => {
      await confirmTotpCode(code);
      queryClient.clear();
      setSession(await loadSession());
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    await signOutUser();
    queryClient.clear();
    setSession(null);
  }, [queryClient]);

  const auth = useMemo(
    () => ({ session, signIn, confirmTotp, signOut }),
    [session, signIn, confirmTotp, signOut],
  );
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
