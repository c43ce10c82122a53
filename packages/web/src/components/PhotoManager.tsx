import { UPLOAD_CONTENT_TYPES } from "@localstays/core/photo/formats";
import type { PhotoInfo } from "@localstays/core/photo/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useApi } from "../api/context.js";
import { keys } from "../api/keys.js";
import { listPhotos, removePhoto, requestUpload } from "../api/photos.js";
import { uploadFile, uploadRequestFor } from "../api/upload.js";
import { awaitsProcessing, photoStatusText } from "../photo/status.js";
import { ErrorMessage } from "./ErrorMessage.js";
import { Field } from "./Field.js";
import { PhotoImage } from "./PhotoImage.js";

/** How often the photo list is asked again while an upload is being processed. */
const POLL_MS = 1000;

interface PhotoManagerProps {
  hostId: string;
  listingId: string;
  listingName: string;
  /** Archived listings take no new photos. */
  canUpload: boolean;
}

/**
 * A listing's photos for its host: upload straight to S3 with a progress bar, then the
 * processor's verdict (ready, or why not), polled until every upload is settled.
 */
export function PhotoManager({ hostId, listingId, listingName, canUpload }: PhotoManagerProps) {
  const api = useApi();
  const queryClient = useQueryClient();
  const photosKey = keys.images(hostId, listingId);
  const images = useQuery({
    queryKey: photosKey,
    queryFn: () => listPhotos(api, hostId, listingId),
    refetchInterval: (query) =>
      awaitsProcessing(query.state.data ?? [], Date.now()) ? POLL_MS : false,
  });

  // The listing's READY summary (and what submit still misses) changes with its photos.
  const readyCount = images.data?.filter((image) => image.status === "READY").length;
  const seenReady = useRef(readyCount);
  useEffect(() => {
    if (seenReady.current !== undefined && readyCount !== seenReady.current) {
      queryClient.invalidateQueries({ queryKey: keys.listing(hostId, listingId) });
    }
    seenReady.current = readyCount;
  }, [readyCount, queryClient, hostId, listingId]);

  const [caption, setCaption] = useState("");
  const [uploading, setUploading] = useState<{ imageId?: string; fraction: number }>();
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const checked = uploadRequestFor(file, caption);
      if (!checked.ok) throw new Error(checked.message);
      setUploading({ fraction: 0 });
      const ticket = await requestUpload(api, hostId, listingId, checked.request);
      setUploading({ imageId: ticket.image.imageId, fraction: 0 });
      await queryClient.invalidateQueries({ queryKey: photosKey });
      await uploadFile(ticket.upload, file, (fraction) =>
        setUploading({ imageId: ticket.image.imageId, fraction }),
      );
    },
    onSuccess: () => setCaption(""),
    onSettled: () => {
      setUploading(undefined);
      return queryClient.invalidateQueries({ queryKey: photosKey });
    },
  });
  const remove = useMutation({
    mutationFn: (imageId: string) => removePhoto(api, hostId, listingId, imageId),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: photosKey }),
        queryClient.invalidateQueries({ queryKey: keys.listing(hostId, listingId) }),
      ]),
  });

  return (
    <section aria-labelledby="photos-heading">
      <h2 id="photos-heading">Photos</h2>
      {canUpload ? (
        <div className="upload">
          <Field label="Caption (optional)">
            {(control) => (
              <input
                {...control}
                value={caption}
                maxLength={200}
                onChange={(event) => setCaption(event.target.value)}
              />
            )}
          </Field>
          <Field label="Add a photo" hint="JPEG, PNG, WebP or AVIF, up to 15 MB.">
            {(control) => (
              <input
                {...control}
                type="file"
                accept={UPLOAD_CONTENT_TYPES.join(",")}
                disabled={upload.isPending}
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  event.target.value = "";
                  if (file) upload.mutate(file);
                }}
              />
            )}
          </Field>
          {uploading ? (
            <div className="progress">
              <progress aria-label="Upload progress" max={1} value={uploading.fraction} />
              <span>Uploading… {Math.round(uploading.fraction * 100)}%</span>
            </div>
          ) : null}
          {upload.error ? <ErrorMessage error={upload.error} /> : null}
        </div>
      ) : null}
      {images.error ? <ErrorMessage error={images.error} /> : null}
      {remove.error ? <ErrorMessage error={remove.error} /> : null}
      {images.data?.length === 0 ? <p className="muted">No photos yet.</p> : null}
      {images.data?.length ? (
        <ul aria-label="Photos" className="photo-list">
          {images.data.map((image, index) => (
            <PhotoItem
              key={image.imageId}
              image={image}
              alt={image.caption || `Photo ${index + 1} of ${listingName || "this listing"}`}
              status={
                image.imageId === uploading?.imageId
                  ? `Uploading… ${Math.round(uploading.fraction * 100)}%`
                  : photoStatusText(image, Date.now())
              }
              removeLabel={`Remove photo ${index + 1}`}
              removing={remove.isPending && remove.variables === image.imageId}
              onRemove={() => remove.mutate(image.imageId)}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

interface PhotoItemProps {
  image: PhotoInfo;
  alt: string;
  status: string;
  removeLabel: string;
  removing: boolean;
  onRemove(): void;
}

function PhotoItem({ image, alt, status, removeLabel, removing, onRemove }: PhotoItemProps) {
  const { width, height, placeholder, variants } = image;
  const ready = image.status === "READY" && width && height && placeholder && variants;
  return (
    <li className={`photo-item photo-${image.status.toLowerCase()}`}>
      {ready ? (
        <PhotoImage
          photo={{ imageId: image.imageId, width, height, placeholder, variants }}
          alt={alt}
          sizes="200px"
          frame="card"
        />
      ) : (
        <div className="photo photo-card photo-missing" aria-hidden="true" />
      )}
      <p className="photo-status" data-testid="photo-status">
        {image.cover && image.status === "READY" ? <span className="tag">Cover</span> : null}
        {status}
      </p>
      {image.caption ? <p className="muted">{image.caption}</p> : null}
      <button
        type="button"
        className="link"
        aria-label={removeLabel}
        disabled={removing}
        onClick={onRemove}
      >
        Remove
      </button>
    </li>
  );
}
