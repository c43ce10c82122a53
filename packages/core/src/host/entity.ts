import { Entity, type EntityItem } from "electrodb";
import { entityConfig } from "../dynamo.js";
import { TableSchema } from "../table.js";

const now = () => new Date().toISOString();
const { GSI3 } = TableSchema.globalIndexes;

export const HostEntity = new Entity(
  {
    model: { entity: "host", version: "1", service: "localstays" },
    attributes: {
      hostId: { type: "string", required: true, readOnly: true },
      cognitoSub: { type: "string", required: true, readOnly: true },
      email: { type: "string", required: true },
      displayName: { type: "string", required: true },
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
  entityConfig(),
);

export type HostItem = EntityItem<typeof HostEntity>;
