import { Entity, type EntityConfiguration, type EntityItem } from "electrodb";
import { lazyEntity } from "../dynamo.js";
import { variantAttribute } from "../photo/entity.js";
import { TableSchema } from "../table.js";
import { PROPERTY_TYPES } from "./schema.js";
import { STATUSES } from "./status.js";

const { primaryIndex, globalIndexes } = TableSchema;
const { GSI1, GSI2, GSI4 } = globalIndexes;

/**
 * One item per listing. Access patterns:
 *   primary  listingId                      get (host, admin and public routes)
 *   GSI1     hostId, newest listing first    a host's listings
 *   GSI2     status, oldest change first     the admin review queue (status IN_REVIEW)
 *   GSI4     cityKey, newest listing first   guest search; sparse: ONLINE listings only
 *
 * ElectroDB recomputes an index only when one of its composite attributes is written, so
 * every write goes through the service's `write()`, which always sets status,
 * statusChangedAt and cityKey. That keeps GSI2 and GSI4 in step with the status.
 */
export const LISTING_MODEL = { entity: "listing", version: "1", service: "localstays" } as const;

export const defineListingEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: LISTING_MODEL,
      attributes: {
        listingId: { type: "string", required: true, readOnly: true },
        hostId: { type: "string", required: true, readOnly: true },
        listingName: { type: "string", required: true, default: "" },
        description: { type: "string" },
        propertyType: { type: PROPERTY_TYPES },
        address: {
          type: "map",
          properties: {
            street: { type: "string", required: true },
            city: { type: "string", required: true },
            postcode: { type: "string", required: true },
            country: { type: "string", required: true },
            lat: { type: "number" },
            lng: { type: "number" },
          },
        },
        capacity: {
          type: "map",
          properties: {
            guests: { type: "number", required: true },
            bedrooms: { type: "number", required: true },
            beds: { type: "number", required: true },
            bathrooms: { type: "number", required: true },
          },
        },
        // Values come from the AMENITIES vocabulary; zod checks them on the way in.
        amenities: { type: "list", items: { type: "string" }, required: true, default: () => [] },
        pricing: {
          type: "map",
          properties: {
            nightlyPrice: { type: "number", required: true },
            currency: { type: "string", required: true },
            cleaningFee: { type: "number" },
          },
        },
        checkInTime: { type: "string" },
        checkOutTime: { type: "string" },
        houseRules: { type: "string" },
        status: { type: STATUSES, required: true },
        statusChangedAt: { type: "string", required: true },
        /** The normalised city (city.ts): GSI4's partition key. */
        cityKey: { type: "string", required: true },
        version: { type: "number", required: true },
        createdAt: { type: "string", required: true, readOnly: true },
        updatedAt: { type: "string", required: true },
        submittedAt: { type: "string" },
        publishedAt: { type: "string" },
        /** Photos in any status, for the per-listing limit (image/index.ts). */
        imageCount: { type: "number" },
        /**
         * Bumped by every change to the listing's photos: the optimistic lock of the photo set,
         * so `photos` below is only ever written from a read of the latest set.
         */
        photosRev: { type: "number" },
        /** The READY photos in order, cover first: what guests see, without a second read. */
        photos: {
          type: "list",
          items: {
            type: "map",
            properties: {
              imageId: { type: "string", required: true },
              caption: { type: "string" },
              width: { type: "number", required: true },
              height: { type: "number", required: true },
              placeholder: { type: "string", required: true },
              variants: variantAttribute,
            },
          },
        },
        review: {
          type: "map",
          properties: {
            decision: { type: ["APPROVED", "REJECTED"] as const, required: true },
            /** Why it was rejected (shown to the host). */
            reason: { type: "string" },
            /** An approving admin's optional note to the host. */
            note: { type: "string" },
            reviewedAt: { type: "string", required: true },
            /** The reviewing admin's Cognito subject: for the audit trail, never returned. */
            reviewedBy: { type: "string", required: true },
          },
        },
      },
      indexes: {
        primary: {
          pk: { field: primaryIndex.partitionKey, composite: ["listingId"] },
          sk: { field: primaryIndex.sortKey, composite: [] },
        },
        byOwner: {
          index: "GSI1",
          pk: { field: GSI1.partitionKey, composite: ["hostId"] },
          sk: { field: GSI1.sortKey, composite: ["listingId"] },
        },
        byStatus: {
          index: "GSI2",
          pk: { field: GSI2.partitionKey, composite: ["status"] },
          sk: { field: GSI2.sortKey, composite: ["statusChangedAt", "listingId"] },
        },
        byCity: {
          index: "GSI4",
          // Sparse: only ONLINE listings are searchable, so search never filters by status.
          condition: (attributes) => attributes.status === "ONLINE",
          pk: { field: GSI4.partitionKey, composite: ["cityKey"] },
          sk: { field: GSI4.sortKey, composite: ["listingId"] },
        },
      },
    },
    config,
  );

/** The listing entity of the runtime in effect. */
export const listingEntity = lazyEntity(defineListingEntity);

export type ListingItem = EntityItem<ReturnType<typeof listingEntity>>;
