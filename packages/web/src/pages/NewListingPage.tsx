import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useApi } from "../api/context.js";
import { fieldErrorsOf } from "../api/errors.js";
import { keys } from "../api/keys.js";
import { createListing } from "../api/listings.js";
import { useHost } from "../auth/RequireAuth.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { ListingForm } from "../components/ListingForm.js";
import { type FieldErrors, validateCreate, valuesOf } from "../listing/form.js";

export function NewListingPage() {
  const api = useApi();
  const { hostId } = useHost();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (input: Parameters<typeof createListing>[2]) => createListing(api, hostId, input),
    onSuccess: (listing) => {
      queryClient.invalidateQueries({ queryKey: keys.listings(hostId) });
      navigate(`/listings/${listing.listingId}`);
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  return (
    <main>
      <h1>New listing</h1>
      <p className="muted">
        A draft can be saved with any part filled in. To submit it for review it needs a title, a
        description, a property type, the address, the capacity, a price and a photo.
      </p>
      <ListingForm
        initial={valuesOf()}
        errors={errors}
        submitLabel="Create listing"
        pending={create.isPending}
        cancelTo="/listings"
        onSubmit={(values) => {
          const result = validateCreate(values);
          setErrors(result.ok ? {} : result.errors);
          if (result.ok) create.mutate(result.input);
        }}
      >
        {create.error ? <ErrorMessage error={create.error} /> : null}
      </ListingForm>
    </main>
  );
}
