import { VARIANTS } from "../../packages/core/src/photo/formats.js";

/** One variant as every approach reports it. */
export interface Output {
  name: string;
  width: number;
  height: number;
  bytes: number;
}

export type Run = (input: Buffer) => Promise<Output[]>;

export const APPROACH_NAMES = ["ours", "ours-naive-webp", "naive", "jimp"] as const;
export type ApproachName = (typeof APPROACH_NAMES)[number];

export interface Approach {
  label: string;
  /** What the variants are written as. */
  output: string;
  /** Imported in the approach's own process only, so no process loads what it does not run. */
  load: () => Promise<Run>;
}

/** sharp's WebP defaults, which the straightforward code gets. */
const SHARP_WEBP_DEFAULTS = { quality: 80, effort: 4 };
const JIMP_JPEG_QUALITY = 80;

export const APPROACHES: Record<ApproachName, Approach> = {
  ours: {
    label: "ours (processPhoto)",
    output: "WebP",
    load: async () => {
      const { processPhoto } = await import("../../packages/core/src/photo/pipeline.js");
      return async (input) => (await processPhoto(input)).variants;
    },
  },
  "ours-naive-webp": {
    label: "ours, naive's WebP settings",
    output: "WebP",
    load: async () => {
      const { processPhoto } = await import("../../packages/core/src/photo/pipeline.js");
      return async (input) => (await processPhoto(input, SHARP_WEBP_DEFAULTS)).variants;
    },
  },
  naive: {
    label: "naive sharp (1 pipeline/variant)",
    output: "WebP",
    load: async () => {
      const { sharp } = await import("./sharp.js");
      // As in the Lambda, where no two images are alike: no libvips cache hits across runs.
      sharp.cache(false);
      return async (input) => {
        const out: Output[] = [];
        for (const { name, width } of VARIANTS) {
          const { data, info } = await sharp(input)
            .rotate()
            .resize(width)
            .webp()
            .toBuffer({ resolveWithObject: true });
          out.push({ name, width: info.width, height: info.height, bytes: data.length });
        }
        return out;
      };
    },
  },
  jimp: {
    label: "jimp (decode once, clone/variant)",
    // jimp 1.6.1 has no WebP encoder (its formats: bmp, gif, jpeg, png, tiff).
    output: `JPEG q${JIMP_JPEG_QUALITY} (no WebP in jimp)`,
    load: async () => {
      const { Jimp } = await import("jimp");
      return async (input) => {
        const image = await Jimp.read(input); // applies the EXIF orientation itself
        const out: Output[] = [];
        for (const { name, width } of VARIANTS) {
          const variant = image.clone().resize({ w: width });
          const body = await variant.getBuffer("image/jpeg", { quality: JIMP_JPEG_QUALITY });
          out.push({ name, width: variant.width, height: variant.height, bytes: body.length });
        }
        return out;
      };
    },
  },
};
