import type { ImageInfo, UploadRequest, UploadTicket } from "@localstays/core/image/schema";
import type { ApiClient } from "./client.js";

const base = (hostId: string, listingId: string) =>
  `/hosts/${encodeURIComponent(hostId)}/listings/${encodeURIComponent(listingId)}/images`;

/** Every photo of a listing in any status, in display order. */
export async function listImages(
  api: ApiClient,
  hostId: string,
  listingId: string,
): Promise<ImageInfo[]> {
  const { items } = await api.request<{ items: ImageInfo[] }>(base(hostId, listingId));
  return items;
}

/** A photo record (PENDING_UPLOAD) and the presigned POST to upload its file with. */
export function requestUpload(
  api: ApiClient,
  hostId: string,
  listingId: string,
  request: UploadRequest,
): Promise<UploadTicket> {
  return api.request(base(hostId, listingId), { method: "POST", body: request });
}

export async function removeImage(
  api: ApiClient,
  hostId: string,
  listingId: string,
  imageId: string,
): Promise<void> {
  await api.request(`${base(hostId, listingId)}/${encodeURIComponent(imageId)}`, {
    method: "DELETE",
  });
}
