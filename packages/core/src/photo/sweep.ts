import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, failedConditions, transactWrite } from "../dynamo.js";
import { releasePending } from "../quota/index.js";
import { bucketName, s3Client } from "../s3.js";
import { uploadKey } from "../storage.js";
import { TableSchema } from "../table.js";
import { type ListingPhotoItem, listingPhotoEntity, PENDING_SWEEP_KEY } from "./entity.js";
import { UPLOAD_SWEEP_MARGIN_SECONDS } from "./schema.js";

/**
 * The sweeper: a photo still PENDING_UPLOAD well after its presigned POST expired (the
 * browser gave up, the tab closed) becomes FAILED with reason EXPIRED, and its host's
 * pending-upload slot frees. Runs on a schedule (stacks/Photos.ts), idempotent.
 *
 * Pending photos are found through a sparse key on GSI2 (`entity.ts`): only PENDING_UPLOAD
 * photos carry it, sorted by expiry, so a sweep is one Query over exactly the overdue ones,
 * never a Scan. A photo whose upload is in the bucket is left alone whatever its age: the
 * file arrived in time and waits in the queue (a backlog, a redrive from the DLQ), and the
 * processor will decide. The bucket's lifecycle rule deletes an upload after two days, so
 * even a photo whose message was lost is swept then.
 */
export interface SweepResult {
  expired: string[];
  /** Overdue, but their upload is in the bucket: the processor's. */
  waiting: string[];
}

const { partitionKey, sortKey } = TableSchema.globalIndexes.GSI2;

export async function sweepExpiredUploads(at = new Date(), limit = 500): Promise<SweepResult> {
  const cutoff = new Date(at.getTime() - UPLOAD_SWEEP_MARGIN_SECONDS * 1000).toISOString();
  const result: SweepResult = { expired: [], waiting: [] };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: listingPhotoEntity().getTableName(),
        IndexName: "GSI2",
        KeyConditionExpression: "#pk = :pk AND #sk < :cutoff",
        ExpressionAttributeNames: { "#pk": partitionKey, "#sk": sortKey },
        ExpressionAttributeValues: { ":pk": PENDING_SWEEP_KEY, ":cutoff": cutoff },
        Limit: 100,
        ExclusiveStartKey,
      }),
    );
    ExclusiveStartKey = page.LastEvaluatedKey;
    const { data } = listingPhotoEntity().parse({ Items: page.Items ?? [] });
    for (const image of data) {
      if (await uploadArrived(image)) result.waiting.push(image.imageId);
      else if (await expire(image, at)) result.expired.push(image.imageId);
      if (result.expired.length + result.waiting.length >= limit) return result;
    }
  } while (ExclusiveStartKey);
  return result;
}

/**
 * Whether the upload is in the bucket. A List with the key as prefix, not a HeadObject: without
 * s3:ListBucket S3 answers a HeadObject of a missing key with 403, not 404, and the sweeper's
 * list right is limited to `uploads/` (stacks/Photos.ts).
 */
async function uploadArrived(image: ListingPhotoItem): Promise<boolean> {
  const key = uploadKey(image);
  const { Contents = [] } = await s3Client().send(
    new ListObjectsV2Command({ Bucket: bucketName(), Prefix: key, MaxKeys: 1 }),
  );
  return Contents.some((object) => object.Key === key);
}

/** FAILED/EXPIRED and the slot freed, in one transaction; false when it changed meanwhile. */
async function expire(image: ListingPhotoItem, at: Date): Promise<boolean> {
  const { listingId, imageId, hostId } = image;
  const now = at.toISOString();
  const failed = listingPhotoEntity()
    .patch({ listingId, imageId })
    .set({ status: "FAILED", failureReason: "EXPIRED", processedAt: now, updatedAt: now })
    .remove(["sweepKey", "sweepSort"])
    .where((attr, { eq }) => eq(attr.status, "PENDING_UPLOAD"))
    .params();
  try {
    await transactWrite([{ Update: failed }, releasePending(hostId)]);
    return true;
  } catch (error) {
    // Processed, deleted or swept by a concurrent run: nothing left to do.
    if (failedConditions(error).includes(0)) return false;
    throw error;
  }
}
