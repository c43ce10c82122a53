import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useApi } from "../api/context.js";
import { keys } from "../api/keys.js";
import { getStay } from "../api/stays.js";
import { ErrorMessage } from "../components/ErrorMessage.js";
import { PhotoImage } from "../components/PhotoImage.js";
import { amenityLabel, PROPERTY_TYPE_LABELS } from "../listing/labels.js";
import { formatPrice } from "../listing/money.js";

/** A listing as guests see it. */
export function StayPage() {
  const api = useApi();
  const { listingId = "" } = useParams();
  const stay = useQuery({ queryKey: keys.stay(listingId), queryFn: () => getStay(api, listingId) });

  if (stay.error) {
    return (
      <main>
        <ErrorMessage error={stay.error} />
        <Link to="/search">Find another stay</Link>
      </main>
    );
  }
  if (!stay.data) return <p className="muted">Loading…</p>;
  const { listingName, location, capacity, pricing, photos } = stay.data;

  return (
    <main className="stay">
      <h1>{listingName}</h1>
      <p className="muted">
        {PROPERTY_TYPE_LABELS[stay.data.propertyType]} in {location.city}, {location.country}
      </p>
      <div className="gallery">
        {photos.map((photo, index) => (
          <PhotoImage
            key={photo.imageId}
            photo={photo}
            alt={photo.caption || `${listingName}, photo ${index + 1}`}
            sizes={index === 0 ? "(max-width: 900px) 100vw, 900px" : "300px"}
          />
        ))}
      </div>
      <div className="stay-body">
        <section>
          <p className="prose">{stay.data.description}</p>
          <h2>The place</h2>
          <p>
            {capacity.guests} guests · {capacity.bedrooms} bedrooms · {capacity.beds} beds ·{" "}
            {capacity.bathrooms} bathrooms
          </p>
          {stay.data.amenities.length ? (
            <>
              <h2>Amenities</h2>
              <ul className="amenity-list">
                {stay.data.amenities.map((amenity) => (
                  <li key={amenity}>{amenityLabel(amenity)}</li>
                ))}
              </ul>
            </>
          ) : null}
          {stay.data.houseRules ? (
            <>
              <h2>House rules</h2>
              <p className="prose">{stay.data.houseRules}</p>
            </>
          ) : null}
        </section>
        <aside className="price-box" aria-label="Price">
          <p>
            <strong>{formatPrice(pricing.nightlyPrice, pricing.currency)}</strong> per night
          </p>
          {pricing.cleaningFee ? (
            <p className="muted">
              Cleaning fee {formatPrice(pricing.cleaningFee, pricing.currency)}
            </p>
          ) : null}
          {stay.data.checkInTime ? <p>Check-in from {stay.data.checkInTime}</p> : null}
          {stay.data.checkOutTime ? <p>Check-out by {stay.data.checkOutTime}</p> : null}
        </aside>
      </div>
    </main>
  );
}
