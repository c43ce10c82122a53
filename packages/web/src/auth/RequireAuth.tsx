import { useQuery } from "@tanstack/react-query";
import { Navigate, Outlet, useLocation, useOutletContext } from "react-router";
import { useApi } from "../api/context.js";
import { getMe, type Host } from "../api/host.js";
import { keys } from "../api/keys.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { useAuth } from "./AuthProvider.js";

/**
 * Guards signed-in pages: signed-out visitors go to sign-in (and come back after it). Host
 * pages get the caller's host record (its id is in every host route) as outlet context.
 */
export function RequireAuth({ access }: { access: "host" | "admin" }) {
  const { session } = useAuth();
  const location = useLocation();
  if (session === undefined) return <p className="muted">Loading…</p>;
  if (!session) {
    return (
      <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />
    );
  }
  if (access === "admin") {
    return session.isAdmin ? <Outlet /> : <p role="alert">Only admins can see this page.</p>;
  }
  return <HostOutlet />;
}

function HostOutlet() {
  const api = useApi();
  const me = useQuery({ queryKey: keys.me, queryFn: () => getMe(api) });
  if (me.error) return <ErrorMessage error={me.error} />;
  if (!me.data) return <p className="muted">Loading…</p>;
  return <Outlet context={me.data} />;
}

/** The signed-in host, inside a host page. */
export function useHost(): Host {
  return useOutletContext<Host>();
}
