import type { UseInfiniteQueryResult } from "@tanstack/react-query";

type Pages = Pick<UseInfiniteQueryResult, "hasNextPage" | "isFetchingNextPage" | "fetchNextPage">;

/** Fetches the next page of a paged list; shown only while there is one. */
export function LoadMore({ query }: { query: Pages }) {
  return query.hasNextPage ? (
    <button
      type="button"
      className="secondary"
      onClick={() => query.fetchNextPage()}
      disabled={query.isFetchingNextPage}
    >
      {query.isFetchingNextPage ? "Loading…" : "Show more"}
    </button>
  ) : null;
}
