import type { Info } from "@localstays/core/listing/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useApi } from "../api/context.js";
import { keys } from "../api/keys.js";
import { getListing, runAction } from "../api/listings.js";
import { useHost } from "../auth/RequireAuth.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { PhotoManager } from "../components/PhotoManager.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { ACTION_LABELS, editRule, type HostAction, hostActions } from "../listing/actions.js";
import { amenityLabel, describeMissing, PROPERTY_TYPE_LABELS } from "../listing/labels.js";
import { formatPrice } from "../listing/money.js";

const CONFIRM: Partial<Record<HostAction, string>> = {
  archive: "Archive this listing? It leaves search and your list for good.",
};

/** A listing as its host manages it: status, what is missing, actions, details, photos. */
export function ListingPage() {
  const api = useApi();
  const { hostId } = useHost();
  const { listingId = "" } = useParams();
  const queryClient = useQueryClient();
  const listing = useQuery({
    queryKey: keys.listing(hostId, listingId),
    queryFn: () => getListing(api, hostId, listingId),
  });
  const action = useMutation({
    mutationFn: (name: HostAction) => runAction(api, hostId, listingId, name),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.listings(hostId) }),
  });

  if (listing.error) return <ErrorMessage error={listing.error} />;
  if (!listing.data) return <p className="muted">Loading…</p>;
  const item = listing.data;
  const incomplete = item.missingForSubmit.length > 0;
  const rule = editRule(item.status);

  return (
    <main>
      <p>
        <Link to="/listings">← My listings</Link>
      </p>
      <div className="page-title">
        <h1>{item.listingName || "Untitled listing"}</h1>
        <StatusBadge status={item.status} testId="listing-status" />
      </div>
      {item.review?.decision === "REJECTED" ? (
        <p className="notice">
          An admin rejected this listing: “{item.review.reason}”. Edit it and submit it again.
        </p>
      ) : null}
      {item.status === "IN_REVIEW" ? (
        <p className="notice">An admin is reviewing this listing.</p>
      ) : null}
      {incomplete && (item.status === "DRAFT" || item.status === "REJECTED") ? (
        <p className="notice" data-testid="missing-for-submit">
          Still needed before you can submit: {describeMissing(item.missingForSubmit)}.
        </p>
      ) : null}
      <div className="actions">
        {rule.canEdit ? (
          <Link to={`/listings/${item.listingId}/edit`} className="button secondary">
            Edit listing
          </Link>
        ) : null}
        {hostActions(item.status).map((name) => (
          <button
            key={name}
            type="button"
            className={name === "archive" ? "danger" : undefined}
            disabled={action.isPending || (name === "submit" && incomplete)}
            onClick={() => {
              const question = CONFIRM[name];
              if (!question || window.confirm(question)) action.mutate(name);
            }}
          >
            {ACTION_LABELS[name]}
          </button>
        ))}
        {item.status === "ONLINE" ? (
          <Link to={`/stays/${item.listingId}`}>See it as a guest</Link>
        ) : null}
      </div>
      {action.error ? <ErrorMessage error={action.error} /> : null}
      <ListingDetails listing={item} />
      <PhotoManager
        hostId={hostId}
        listingId={item.listingId}
        listingName={item.listingName}
        canUpload={rule.canEdit}
      />
    </main>
  );
}

function ListingDetails({ listing }: { listing: Info }) {
  const { address, capacity, pricing } = listing;
  const rows: [string, string | undefined][] = [
    ["Description", listing.description],
    ["Property type", listing.propertyType && PROPERTY_TYPE_LABELS[listing.propertyType]],
    [
      "Address",
      address && `${address.street}, ${address.postcode} ${address.city}, ${address.country}`,
    ],
    [
      "Capacity",
      capacity &&
        `${capacity.guests} guests, ${capacity.bedrooms} bedrooms, ${capacity.beds} beds, ${capacity.bathrooms} bathrooms`,
    ],
    ["Amenities", listing.amenities.map(amenityLabel).join(", ") || undefined],
    [
      "Price",
      pricing &&
        `${formatPrice(pricing.nightlyPrice, pricing.currency)} per night${
          pricing.cleaningFee
            ? `, cleaning ${formatPrice(pricing.cleaningFee, pricing.currency)}`
            : ""
        }`,
    ],
    ["Check-in from", listing.checkInTime],
    ["Check-out by", listing.checkOutTime],
    ["House rules", listing.houseRules],
  ];
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="details">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value || <span className="muted">Not set</span>}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
