import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { useApi } from "../api/context.js";
import { keys } from "../api/keys.js";
import { searchStays } from "../api/stays.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { Field } from "../components/Field.js";
import { LoadMore } from "../components/LoadMore.js";
import { StayCard } from "../components/StayCard.js";

/** Guests search online listings by city; the city lives in the URL, so results can be shared. */
export function SearchPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const city = params.get("city")?.trim() ?? "";
  const [typed, setTyped] = useState(city);
  const results = useInfiniteQuery({
    queryKey: keys.search(city),
    queryFn: ({ pageParam }) => searchStays(api, city, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: city !== "",
  });
  const stays = results.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main>
      <h1>Find a stay</h1>
      <search>
        <form
          className="search"
          onSubmit={(event) => {
            event.preventDefault();
            if (typed.trim()) setParams({ city: typed.trim() });
          }}
        >
          <Field label="City">
            {(control) => (
              <input
                {...control}
                type="search"
                placeholder="e.g. Zürich"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            )}
          </Field>
          <button type="submit">Search</button>
        </form>
      </search>
      {results.error ? <ErrorMessage error={results.error} /> : null}
      {city && results.isPending ? <p className="muted">Searching…</p> : null}
      {results.isSuccess ? (
        <p role="status" className="muted">
          {stays.length
            ? `${stays.length}${results.hasNextPage ? "+" : ""} ${stays.length === 1 ? "stay" : "stays"} in ${city}`
            : `No stays are online in ${city} yet.`}
        </p>
      ) : null}
      {stays.length ? (
        <ul aria-label="Search results" className="cards">
          {stays.map((stay) => (
            <StayCard key={stay.listingId} stay={stay} />
          ))}
        </ul>
      ) : null}
      <LoadMore query={results} />
    </main>
  );
}
