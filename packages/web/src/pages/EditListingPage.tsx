import type { Info, UpdateInput } from "@localstays/core/listing/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useApi } from "../api/context.js";
import { fieldErrorsOf, isVersionConflict } from "../api/errors.js";
import { keys } from "../api/keys.js";
import { getListing, updateListing } from "../api/listings.js";
import { useHost } from "../auth/RequireAuth.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { ListingForm } from "../components/ListingForm.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { editRule } from "../listing/actions.js";
import { type FieldErrors, validateUpdate, valuesOf } from "../listing/form.js";

export function EditListingPage() {
  const api = useApi();
  const { hostId } = useHost();
  const { listingId = "" } = useParams();
  const listing = useQuery({
    queryKey: keys.listing(hostId, listingId),
    queryFn: () => getListing(api, hostId, listingId),
  });
  if (listing.error) return <ErrorMessage error={listing.error} />;
  if (!listing.data) return <p className="muted">Loading…</p>;
  // A new version (after a reload) starts the form again from what is stored.
  return (
    <EditForm key={listing.data.version} listing={listing.data} reload={() => listing.refetch()} />
  );
}

function EditForm({ listing, reload }: { listing: Info; reload: () => void }) {
  const api = useApi();
  const { hostId } = useHost();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unchanged, setUnchanged] = useState(false);
  const rule = editRule(listing.status);
  const detail = `/listings/${listing.listingId}`;
  const save = useMutation({
    mutationFn: (changes: UpdateInput) =>
      updateListing(api, hostId, listing.listingId, listing.version, changes),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.listing(hostId, updated.listingId), updated);
      queryClient.invalidateQueries({ queryKey: keys.listings(hostId) });
      navigate(detail);
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  return (
    <main>
      <div className="page-title">
        <h1>Edit “{listing.listingName || "Untitled listing"}”</h1>
        <StatusBadge status={listing.status} />
      </div>
      {!rule.canEdit ? (
        <p role="alert" className="error">
          This listing is archived and can no longer change.
        </p>
      ) : (
        <ListingForm
          initial={valuesOf(listing)}
          errors={errors}
          submitLabel="Save changes"
          pending={save.isPending}
          contentLocked={!rule.canEditContent}
          cancelTo={detail}
          onSubmit={(values) => {
            const result = validateUpdate(values, listing);
            setErrors(result.ok ? {} : result.errors);
            setUnchanged(result.ok && result.input === null);
            if (result.ok && result.input) save.mutate(result.input);
          }}
        >
          {rule.contentNeedsReview ? (
            <p className="notice">
              This listing has been reviewed. Changing what guests read about the place (title,
              description, type, address, capacity, amenities, house rules) sends it back to review
              and takes it offline until an admin approves it again. Price and times change right
              away.
            </p>
          ) : null}
          {unchanged ? <p role="status">Nothing has changed yet.</p> : null}
          {save.error ? (
            <ErrorMessage error={save.error}>
              {isVersionConflict(save.error) ? (
                <button type="button" className="secondary" onClick={reload}>
                  Reload listing
                </button>
              ) : null}
            </ErrorMessage>
          ) : null}
        </ListingForm>
      )}
    </main>
  );
}
