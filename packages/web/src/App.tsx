import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { createApiClient } from "./api/client.js";
import { ApiContext } from "./api/context.js";
import { ApiError } from "./api/errors.js";
import { AuthProvider, useAuth } from "./auth/AuthProvider.js";
import { accessToken } from "./auth/cognito.js";
import { RequireAuth } from "./auth/RequireAuth.js";
import { Header } from "./components/Header.js";
import type { AppConfig } from "./config.js";
import { ConfigContext } from "./config-context.js";
import { ConfirmPage } from "./pages/ConfirmPage.js";
import { EditListingPage } from "./pages/EditListingPage.js";
import { ListingPage } from "./pages/ListingPage.js";
import { MyListingsPage } from "./pages/MyListingsPage.js";
import { NewListingPage } from "./pages/NewListingPage.js";
import { NotFoundPage } from "./pages/NotFoundPage.js";
import { ReviewQueuePage } from "./pages/ReviewQueuePage.js";
import { SearchPage } from "./pages/SearchPage.js";
import { SecurityPage } from "./pages/SecurityPage.js";
import { SignInPage } from "./pages/SignInPage.js";
import { SignUpPage } from "./pages/SignUpPage.js";
import { StayPage } from "./pages/StayPage.js";

/** Only an unreachable server or a server error may go away by itself; a 4xx will not. */
const retry = (failures: number, error: Error) =>
  failures < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500);

export function App({ config }: { config: AppConfig }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        // No refetch on focus: a refetched listing with a new version would reset an open form.
        defaultOptions: { queries: { retry, refetchOnWindowFocus: false, staleTime: 10_000 } },
      }),
  );
  const [api] = useState(() => createApiClient({ baseUrl: config.apiUrl, accessToken }));
  return (
    <ConfigContext.Provider value={config}>
      <QueryClientProvider client={queryClient}>
        <ApiContext.Provider value={api}>
          <AuthProvider>
            <BrowserRouter>
              <Header />
              <div className="page">
                <Routes>
                  <Route path="/" element={<Home />} />
                  <Route path="/sign-up" element={<SignUpPage />} />
                  <Route path="/confirm" element={<ConfirmPage />} />
                  <Route path="/sign-in" element={<SignInPage />} />
                  <Route path="/search" element={<SearchPage />} />
                  <Route path="/stays/:listingId" element={<StayPage />} />
                  <Route element={<RequireAuth access="host" />}>
                    <Route path="/listings" element={<MyListingsPage />} />
                    <Route path="/listings/new" element={<NewListingPage />} />
                    <Route path="/listings/:listingId" element={<ListingPage />} />
                    <Route path="/listings/:listingId/edit" element={<EditListingPage />} />
                    <Route path="/security" element={<SecurityPage />} />
                  </Route>
                  <Route element={<RequireAuth access="admin" />}>
                    <Route path="/admin/review" element={<ReviewQueuePage />} />
                  </Route>
                  <Route path="*" element={<NotFoundPage />} />
                </Routes>
              </div>
            </BrowserRouter>
          </AuthProvider>
        </ApiContext.Provider>
      </QueryClientProvider>
    </ConfigContext.Provider>
  );
}

/** Hosts start at their listings, everyone else at search. */
function Home() {
  const { session } = useAuth();
  if (session === undefined) return null;
  return <Navigate to={session ? "/listings" : "/search"} replace />;
}
