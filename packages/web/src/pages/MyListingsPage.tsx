import { Status as StatusSchema } from "@localstays/core/listing/schema";
import { STATUSES } from "@localstays/core/listing/status";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { useApi } from "../api/context.js";
import { keys } from "../api/keys.js";
import { listListings } from "../api/listings.js";
import { useHost } from "../auth/RequireAuth.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { Field } from "../components/Field.js";
import { LoadMore } from "../components/LoadMore.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { STATUS_LABELS } from "../listing/labels.js";
import { formatPrice } from "../listing/money.js";

/** Column headings; on a phone, where a row is a card, the same words label its values. */
const COLUMNS = {
  listing: "Listing",
  city: "City",
  price: "Price per night",
  status: "Status",
  changed: "Last change",
} as const;

export function MyListingsPage() {
  const api = useApi();
  const { hostId } = useHost();
  const [params, setParams] = useSearchParams();
  const status = StatusSchema.safeParse(params.get("status")).data;
  const listings = useInfiniteQuery({
    queryKey: keys.listingPages(hostId, status),
    queryFn: ({ pageParam }) => listListings(api, hostId, { status, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = listings.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main>
      <div className="page-title">
        <h1>My listings</h1>
        <Link to="/listings/new" className="button">
          Create a listing
        </Link>
      </div>
      <div className="filters">
        <Field label="Status">
          {(control) => (
            <select
              {...control}
              value={status ?? ""}
              onChange={(event) =>
                setParams(event.target.value ? { status: event.target.value } : {})
              }
            >
              <option value="">All but archived</option>
              {STATUSES.map((value) => (
                <option key={value} value={value}>
                  {STATUS_LABELS[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {listings.error ? <ErrorMessage error={listings.error} /> : null}
      {listings.isPending ? <p className="muted">Loading…</p> : null}
      {listings.isSuccess && !items.length ? (
        <p className="muted">
          {status
            ? `No listings are ${STATUS_LABELS[status].toLowerCase()}.`
            : "No listings yet. Create your first one."}
        </p>
      ) : null}
      {items.length ? (
        <table className="listings">
          <thead>
            <tr>
              {Object.values(COLUMNS).map((heading) => (
                <th key={heading} scope="col">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((listing) => (
              <tr key={listing.listingId}>
                <td className="listing-name">
                  <Link to={`/listings/${listing.listingId}`}>
                    {listing.listingName || "Untitled listing"}
                  </Link>
                </td>
                <td data-label={COLUMNS.city}>{listing.address?.city ?? "—"}</td>
                <td data-label={COLUMNS.price}>
                  {listing.pricing
                    ? formatPrice(listing.pricing.nightlyPrice, listing.pricing.currency)
                    : "—"}
                </td>
                <td className="listing-status">
                  <StatusBadge status={listing.status} />
                </td>
                <td data-label={COLUMNS.changed}>{new Date(listing.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <LoadMore query={listings} />
    </main>
  );
}
