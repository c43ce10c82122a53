import type { Info } from "@localstays/core/listing/schema";
import { RejectInput } from "@localstays/core/listing/schema";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { approveListing, rejectListing, reviewQueue } from "../api/admin.js";
import { useApi } from "../api/context.js";
import { ApiError, fieldErrorsOf } from "../api/errors.js";
import { keys } from "../api/keys.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { Field } from "../components/Field.js";
import { LoadMore } from "../components/LoadMore.js";
import { PhotoImage } from "../components/PhotoImage.js";
import { amenityLabel, PROPERTY_TYPE_LABELS } from "../listing/labels.js";
import { formatPrice } from "../listing/money.js";

/** Listings waiting for an admin, the longest waiting first. */
export function ReviewQueuePage() {
  const api = useApi();
  const [decided, setDecided] = useState<string>();
  const queue = useInfiniteQuery({
    queryKey: keys.reviewQueue,
    queryFn: ({ pageParam }) => reviewQueue(api, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main>
      <h1>Review queue</h1>
      {decided ? (
        <p role="status" className="notice">
          {decided}
        </p>
      ) : null}
      {queue.error ? <ErrorMessage error={queue.error} /> : null}
      {queue.isPending ? <p className="muted">Loading…</p> : null}
      {queue.isSuccess && !items.length ? (
        <p className="muted">Nothing is waiting for review.</p>
      ) : null}
      {items.map((listing) => (
        <ReviewCard key={listing.listingId} listing={listing} onDecided={setDecided} />
      ))}
      <LoadMore query={queue} />
    </main>
  );
}

function ReviewCard({ listing, onDecided }: { listing: Info; onDecided(message: string): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [reason, setReason] = useState("");
  const [reasonErrors, setReasonErrors] = useState<string[]>();
  const name = listing.listingName || "Untitled listing";
  const decide = useMutation({
    mutationFn: (decision: { approve: true } | { reason: string }) =>
      "approve" in decision
        ? approveListing(api, listing)
        : rejectListing(api, listing.listingId, decision.reason),
    onSuccess: (result) => {
      onDecided(`${result.status === "APPROVED" ? "Approved" : "Rejected"} “${name}”.`);
      return queryClient.invalidateQueries({ queryKey: keys.reviewQueue });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "PHOTOS_CHANGED") {
        // Photos were added, processed or removed since this card was loaded: show them.
        onDecided(`The photos of “${name}” changed since you saw them: review them again.`);
        return queryClient.invalidateQueries({ queryKey: keys.reviewQueue });
      }
      setReasonErrors(fieldErrorsOf(error).reason);
    },
  });
  const { address, capacity, pricing } = listing;

  return (
    <article className="review-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      <p className="muted">
        {address
          ? `${address.street}, ${address.postcode} ${address.city}, ${address.country}`
          : "No address"}
        {listing.submittedAt
          ? ` · submitted ${new Date(listing.submittedAt).toLocaleString()}`
          : ""}
      </p>
      {listing.photos.length ? (
        <div className="thumbs">
          {listing.photos.map((photo, index) => (
            <PhotoImage
              key={photo.imageId}
              photo={photo}
              alt={photo.caption || `Photo ${index + 1} of ${name}`}
              sizes="160px"
              frame="card"
            />
          ))}
        </div>
      ) : null}
      <p className="prose">{listing.description}</p>
      <p>
        {listing.propertyType ? PROPERTY_TYPE_LABELS[listing.propertyType] : ""}
        {capacity
          ? ` · ${capacity.guests} guests, ${capacity.bedrooms} bedrooms, ${capacity.beds} beds`
          : ""}
        {pricing ? ` · ${formatPrice(pricing.nightlyPrice, pricing.currency)} per night` : ""}
      </p>
      {listing.amenities.length ? (
        <p className="muted">{listing.amenities.map(amenityLabel).join(", ")}</p>
      ) : null}
      {listing.houseRules ? <p className="prose">{listing.houseRules}</p> : null}
      <div className="decision">
        <button
          type="button"
          disabled={decide.isPending}
          onClick={() => decide.mutate({ approve: true })}
        >
          Approve
        </button>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const checked = RejectInput.safeParse({ reason });
            setReasonErrors(
              checked.success ? undefined : checked.error.issues.map((issue) => issue.message),
            );
            if (checked.success) decide.mutate(checked.data);
          }}
        >
          <Field label="Reason for rejecting" errors={reasonErrors} hint="The host sees this.">
            {(control) => (
              <textarea
                {...control}
                rows={2}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="danger" disabled={decide.isPending}>
            Reject
          </button>
        </form>
      </div>
      {decide.error ? <ErrorMessage error={decide.error} /> : null}
    </article>
  );
}
