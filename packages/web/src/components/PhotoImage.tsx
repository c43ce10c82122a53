import type { Photo } from "@localstays/core/photo/schema";
import { useState } from "react";
import { placeholderColor } from "../photo/placeholder.js";
import { srcSetOf, variantUrl } from "../photo/status.js";

interface PhotoImageProps {
  photo: Photo;
  alt: string;
  /** The `sizes` attribute: how wide the photo is shown, so the browser picks a variant. */
  sizes: string;
  /** "card" crops to a fixed frame; "full" keeps the photo's own shape. */
  frame?: "card" | "full";
}

/** A photo over its placeholder colour, which shows until the variant has loaded. */
export function PhotoImage({ photo, alt, sizes, frame = "full" }: PhotoImageProps) {
  const [loaded, setLoaded] = useState(false);
  return (
    <div
      className={`photo photo-${frame}`}
      style={{
        aspectRatio: frame === "full" ? `${photo.width} / ${photo.height}` : undefined,
        backgroundColor: placeholderColor(photo.placeholder),
      }}
    >
      <img
        src={variantUrl(photo, 400)}
        srcSet={srcSetOf(photo)}
        sizes={sizes}
        alt={alt}
        width={photo.width}
        height={photo.height}
        loading="lazy"
        className={loaded ? "loaded" : undefined}
        onLoad={() => setLoaded(true)}
      />
    </div>
  );
}
