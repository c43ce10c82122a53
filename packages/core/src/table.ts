/**
 * The single definition of the Localstays table. `stacks/Data.ts`, the local stack and the
 * tests all build the table from this object, and the ElectroDB entities name the same
 * attributes and indexes, so the deployed table and the code can never drift apart.
 *
 * The shape is SST's `TableProps` subset (`fields`, `primaryIndex`, `globalIndexes`), so the
 * stack passes it through unchanged.
 */
import { APP_NAME } from "./app.js";
import { stagePrefix } from "./names.js";

/**
 * `localstays-<stage>`: the table the Data stack creates. The table a stage's functions use is
 * the stage's table setting (`tableSettingParameter`), which names this one until a restore
 * is cut over (docs/operations.md, "Disaster recovery").
 */
export function tableName(stage: string): string {
  return stagePrefix(stage);
}

/**
 * `/localstays/<stage>/table-name`: the SSM parameter naming the table the stage's functions
 * use. CloudFormation resolves it at every deploy (stacks/table-setting.ts); `localstays
 * restore --cutover` rewrites it. The local stack's twin is a file in its data directory.
 */
export function tableSettingParameter(stage: string): string {
  return `/${APP_NAME}/${stage}/table-name`;
}

/**
 * `/localstays/<stage>/table-stream-arn`: the stream of the table the stage uses, which the
 * outbox delivery reads (its event source). The Data stack creates it with its table's
 * stream; `localstays restore --cutover` rewrites it with the table setting.
 */
export function tableStreamSettingParameter(stage: string): string {
  return `/${APP_NAME}/${stage}/table-stream-arn`;
}

/** `localstays-<stage>-restore-20261202t151400z`: the table a restore creates (lower case, 255 max). */
export function restoredTableName(stage: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "z")
    .replace(/[-:]/g, "")
    .toLowerCase();
  return `${stagePrefix(stage)}-restore-${stamp}`;
}

export const TableSchema = {
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
    gsi3pk: "string",
    gsi3sk: "string",
    gsi4pk: "string",
    gsi4sk: "string",
  },
  primaryIndex: { partitionKey: "pk", sortKey: "sk" },
  /** New items' images on the table's stream: the outbox delivery reads it (mail/outbox.ts). */
  stream: "new_image",
  globalIndexes: {
    /** Items by owner: a host's listings (newest first), a host's images. */
    GSI1: { partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    /** Items by status: the admin review queue (oldest submission first). */
    GSI2: { partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    /** Hosts by Cognito subject: resolves the caller of `/me` to a host record. */
    GSI3: { partitionKey: "gsi3pk", sortKey: "gsi3sk" },
    /** Search by city (the seed's "GSI4"): ONLINE listings keyed by the normalised city. */
    GSI4: { partitionKey: "gsi4pk", sortKey: "gsi4sk" },
  },
} as const satisfies {
  fields: Record<string, "string" | "number" | "binary">;
  primaryIndex: { partitionKey: string; sortKey: string };
  stream: "new_image";
  globalIndexes: Record<string, { partitionKey: string; sortKey: string }>;
};

export type IndexName = keyof typeof TableSchema.globalIndexes;

/** The same schema as a DynamoDB CreateTable request (local stack, tests, AWS CLI users). */
export function createTableInput(name: string) {
  const { fields, primaryIndex, globalIndexes } = TableSchema;
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST" as const,
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" as const },
    AttributeDefinitions: Object.entries(fields).map(([AttributeName, type]) => ({
      AttributeName,
      AttributeType:
        type === "string" ? ("S" as const) : type === "number" ? ("N" as const) : ("B" as const),
    })),
    KeySchema: [
      { AttributeName: primaryIndex.partitionKey, KeyType: "HASH" as const },
      { AttributeName: primaryIndex.sortKey, KeyType: "RANGE" as const },
    ],
    GlobalSecondaryIndexes: Object.entries(globalIndexes).map(([IndexName, index]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" as const },
        { AttributeName: index.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    })),
  };
}
