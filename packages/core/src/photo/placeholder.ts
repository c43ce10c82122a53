import { rgbaToThumbHash } from "thumbhash";
import { fromRaw, type RawPhoto } from "./decode.js";

/** ThumbHash reads at most 100×100 pixels. */
const THUMBHASH_MAX = 100;

/**
 * A ThumbHash (about 25 bytes, base64) the dashboard and listing pages paint while the photo
 * loads: colours, rough shapes, aspect ratio and transparency in one short string.
 */
export async function placeholderOf(image: RawPhoto): Promise<string> {
  const { data, info } = await fromRaw(image)
    .resize({
      width: THUMBHASH_MAX,
      height: THUMBHASH_MAX,
      fit: "inside",
      withoutEnlargement: true,
    })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString("base64");
}
