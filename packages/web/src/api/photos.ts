import type { PhotoInfo, UploadRequest, UploadTicket } from "@localstays/core/photo/schema";
import type { ApiClient } from "./client.js";

const IMAGES = "/api/v1/hosts/{hostId}/listings/{listingId}/images";

/** Every photo of a listing in any status, in display order. */
export async function listPhotos(
  api: ApiClient,
  hostId: string,
  listingId: string,
): Promise<PhotoInfo[]> {
  const { items } = await api.call<`GET ${typeof IMAGES}`, { items: PhotoInfo[] }>(
    `GET ${IMAGES}`,
    { hostId, listingId },
  );
  return items;
}

/** A photo record (PENDING_UPLOAD) and the presigned POST to upload its file with. */
export function requestUpload(
  api: ApiClient,
  hostId: string,
  listingId: string,
  request: UploadRequest,
): Promise<UploadTicket> {
  return api.call(`POST ${IMAGES}`, { hostId, listingId }, { body: request });
}

export async function removePhoto(
  api: ApiClient,
  hostId: string,
  listingId: string,
  imageId: string,
): Promise<void> {
  await api.call(`DELETE ${IMAGES}/{imageId}`, { hostId, listingId, imageId });
}
