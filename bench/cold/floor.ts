import {
  DynamoDBClient,
  GetItemCommand,
} from "../../packages/core/node_modules/@aws-sdk/client-dynamodb";

/**
 * The floor of `pnpm bench:cold`: the least a DynamoDB-backed function can load and do, one
 * raw GetItem with the bare client, bundled by SST like every function of the app.
 */
const client = new DynamoDBClient({
  region: process.env.AWS_REGION,
  ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
});

export async function handler() {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: { S: "cold-bench" }, sk: { S: "floor" } },
    }),
  );
  return { statusCode: Item ? 200 : 404, body: "" };
}
