import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, NavLink, useNavigate } from "react-router";
import { useApi } from "../api/context.js";
import { getMe } from "../api/host.js";
import { keys } from "../api/keys.js";
import { useAuth } from "../auth/AuthProvider.js";

/** Who is signed in, and the pages their roles may visit. */
export function Header() {
  const { session, signOut } = useAuth();
  const api = useApi();
  // The host profile's name (from sign-up); not every user pool puts `name` in the ID token.
  const me = useQuery({ queryKey: keys.me, queryFn: () => getMe(api), enabled: Boolean(session) });
  const navigate = useNavigate();
  const signingOut = useMutation({
    mutationFn: signOut,
    onSuccess: () => navigate("/sign-in"),
  });
  return (
    <header className="site-header">
      <nav aria-label="Main">
        <Link to="/" className="brand">
          Localstays
        </Link>
        <NavLink to="/search">Find a stay</NavLink>
        {session ? (
          <>
            <NavLink to="/listings" end>
              My listings
            </NavLink>
            <NavLink to="/listings/new">New listing</NavLink>
            <NavLink to="/security">Security</NavLink>
          </>
        ) : null}
        {session?.isAdmin ? <NavLink to="/admin/review">Review queue</NavLink> : null}
      </nav>
      <div className="account">
        {session ? (
          <>
            <span data-testid="signed-in-as">
              Signed in as <strong>{me.data?.displayName ?? session.name}</strong>
              {session.isAdmin ? " (admin)" : ""}
            </span>
            <button
              type="button"
              className="secondary"
              onClick={() => signingOut.mutate()}
              disabled={signingOut.isPending}
            >
              Sign out
            </button>
          </>
        ) : session === null ? (
          <>
            <NavLink to="/sign-in">Sign in</NavLink>
            <NavLink to="/sign-up">Sign up</NavLink>
          </>
        ) : null}
      </div>
    </header>
  );
}
