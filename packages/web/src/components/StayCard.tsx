import type { PublicInfo } from "@localstays/core/listing/schema";
import { Link } from "react-router";
import { formatPrice } from "../listing/money.js";
import { PhotoImage } from "./PhotoImage.js";

/** A search result: the cover photo (over its placeholder), title, place and price. */
export function StayCard({ stay }: { stay: PublicInfo }) {
  const cover = stay.photos[0];
  return (
    <li className="stay-card">
      <Link to={`/stays/${stay.listingId}`} className="stay-link">
        {cover ? (
          <PhotoImage
            photo={cover}
            // Decorative here: the title follows inside the same link.
            alt=""
            sizes="(max-width: 600px) 100vw, 300px"
            frame="card"
          />
        ) : (
          <div className="photo photo-card photo-missing" aria-hidden="true" />
        )}
        <h2>{stay.listingName}</h2>
      </Link>
      <p className="muted">
        {stay.location.city}, {stay.location.country} · {stay.capacity.guests} guests
      </p>
      <p>
        <strong>{formatPrice(stay.pricing.nightlyPrice, stay.pricing.currency)}</strong> per night
      </p>
    </li>
  );
}
