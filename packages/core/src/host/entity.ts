import { Entity, type EntityConfiguration, type EntityItem } from "electrodb";
import { lazyEntity } from "../dynamo.js";
import { TableSchema } from "../table.js";

const now = () => new Date().toISOString();
const { GSI3 } = TableSchema.globalIndexes;

const defineHostEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "host", version: "1", service: "localstays" },
      attributes: {
        hostId: { type: "string", required: true, readOnly: true },
        cognitoSub: { type: "string", required: true, readOnly: true },
        email: { type: "string", required: true },
        displayName: { type: "string", required: true },
        /**
         * Whether the host gets review e-mails (listing approved or rejected, photo failed).
         * Hosts registered before the preference existed have none: they get them.
         */
        reviewEmails: { type: "boolean", default: true },
        createdAt: { type: "string", required: true, readOnly: true, default: now },
        updatedAt: { type: "string", required: true, watch: "*", default: now, set: now },
      },
      indexes: {
        primary: {
          pk: { field: TableSchema.primaryIndex.partitionKey, composite: ["hostId"] },
          sk: { field: TableSchema.primaryIndex.sortKey, composite: [] },
        },
        bySub: {
          index: "GSI3",
          pk: { field: GSI3.partitionKey, composite: ["cognitoSub"] },
          sk: { field: GSI3.sortKey, composite: [] },
        },
      },
    },
    config,
  );

export const hostEntity = lazyEntity(defineHostEntity);

export type HostItem = EntityItem<ReturnType<typeof hostEntity>>;

/**
 * One claim item per Cognito subject, written in the same transaction as the host. A GSI
 * cannot enforce uniqueness, so without it two concurrent sign-up trigger runs (Cognito
 * retries a trigger that timed out) would both create a host for one user.
 */
const defineHostSubjectEntity = (config: EntityConfiguration) =>
  new Entity(
    {
      model: { entity: "hostSubject", version: "1", service: "localstays" },
      attributes: {
        cognitoSub: { type: "string", required: true, readOnly: true },
        hostId: { type: "string", required: true, readOnly: true },
      },
      indexes: {
        primary: {
          pk: { field: TableSchema.primaryIndex.partitionKey, composite: ["cognitoSub"] },
          sk: { field: TableSchema.primaryIndex.sortKey, composite: [] },
        },
      },
    },
    config,
  );

export const hostSubjectEntity = lazyEntity(defineHostSubjectEntity);
