import { AMENITIES, PROPERTY_TYPES } from "@localstays/core/listing/schema";
import { type ReactNode, useState } from "react";
import { Link } from "react-router";
import {
  type FieldErrors,
  type FormValues,
  isContentField,
  type TextField,
} from "../listing/form.js";
import {
  type Amenity,
  amenityLabel,
  FIELD_LABELS,
  PROPERTY_TYPE_LABELS,
} from "../listing/labels.js";
import { Field } from "./Field.js";

interface ListingFormProps {
  initial: FormValues;
  /** Problems to show next to the fields (the client's or the API's). */
  errors: FieldErrors;
  submitLabel: string;
  pending: boolean;
  /** While in review only the details (price, times) may change. */
  contentLocked?: boolean;
  cancelTo: string;
  onSubmit(values: FormValues): void;
  children?: ReactNode;
}

type InputKind = "text" | "textarea" | "number" | "time";

/** The listing's fields, grouped as a host thinks of them; labels from labels.ts. */
export function ListingForm(props: ListingFormProps) {
  const { errors, contentLocked = false } = props;
  const [values, setValues] = useState(props.initial);

  const input = (
    path: TextField,
    kind: InputKind = "text",
    extra: { hint?: string; step?: string } = {},
  ) => {
    const label = FIELD_LABELS[path] ?? path;
    const disabled = contentLocked && isContentField(path);
    const common = {
      name: path,
      value: values[path],
      disabled,
      onChange: (event: { target: { value: string } }) =>
        setValues({ ...values, [path]: event.target.value }),
    };
    return (
      <Field label={label} errors={errors[path]} hint={extra.hint}>
        {(control) =>
          kind === "textarea" ? (
            <textarea {...control} {...common} rows={5} />
          ) : (
            <input
              {...control}
              {...common}
              type={kind}
              {...(kind === "number" ? { min: 0, step: extra.step ?? "1" } : {})}
            />
          )
        }
      </Field>
    );
  };

  const toggleAmenity = (amenity: Amenity, on: boolean) =>
    setValues({
      ...values,
      amenities: on
        ? [...values.amenities, amenity]
        : values.amenities.filter((a) => a !== amenity),
    });

  return (
    <form
      className="listing-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit(values);
      }}
    >
      {contentLocked ? (
        <p className="notice">
          This listing is in review: only the price and the check-in and check-out times can change
          until an admin has decided.
        </p>
      ) : null}
      {errors["(root)"] ? (
        <p role="alert" className="error">
          {errors["(root)"].join(", ")}
        </p>
      ) : null}
      <fieldset>
        <legend>About the place</legend>
        {input("listingName")}
        {input("description", "textarea")}
        <Field label="Property type" errors={errors.propertyType}>
          {(control) => (
            <select
              {...control}
              name="propertyType"
              value={values.propertyType}
              disabled={contentLocked}
              onChange={(event) => setValues({ ...values, propertyType: event.target.value })}
            >
              <option value="">Choose…</option>
              {PROPERTY_TYPES.map((type) => (
                <option key={type} value={type}>
                  {PROPERTY_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>Address</legend>
        <p className="hint">
          Guests see the city and country only; the street and postcode stay private.
        </p>
        <div className="grid">
          {input("address.street")}
          {input("address.city")}
          {input("address.postcode")}
          {input("address.country", "text", { hint: "Two letters, e.g. CH" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Capacity</legend>
        <div className="grid">
          {input("capacity.guests", "number")}
          {input("capacity.bedrooms", "number")}
          {input("capacity.beds", "number")}
          {input("capacity.bathrooms", "number", {
            step: "0.5",
            hint: "Halves count a toilet and basin",
          })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Amenities</legend>
        {errors.amenities ? <p className="field-error">{errors.amenities.join(", ")}</p> : null}
        <div className="amenities">
          {AMENITIES.map((amenity) => (
            <label key={amenity} className="check">
              <input
                type="checkbox"
                checked={values.amenities.includes(amenity)}
                disabled={contentLocked}
                onChange={(event) => toggleAmenity(amenity, event.target.checked)}
              />
              {amenityLabel(amenity)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Price</legend>
        <div className="grid">
          {input("pricing.nightlyPrice", "text", { hint: "Per night, e.g. 120.50" })}
          {input("pricing.currency", "text", { hint: "Three letters, e.g. CHF" })}
          {input("pricing.cleaningFee", "text", { hint: "Optional, once per stay" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>The stay</legend>
        <div className="grid">
          {input("checkInTime", "time")}
          {input("checkOutTime", "time")}
        </div>
        {input("houseRules", "textarea")}
      </fieldset>
      {props.children}
      {Object.keys(errors).length ? (
        <p role="alert" className="error">
          Some fields need attention: see the messages in red above.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={props.pending}>
          {props.pending ? "Saving…" : props.submitLabel}
        </button>
        <Link to={props.cancelTo}>Cancel</Link>
      </div>
    </form>
  );
}
