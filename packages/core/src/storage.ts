/**
 * Bucket layout, shared by the Storage stack (lifecycle rule, upload notification) and the
 * code that signs uploads and processes them, so the prefix is written once.
 */
/** Browser uploads land under this prefix (presigned POST); the image processor reads them. */
export const UPLOAD_PREFIX = "uploads/";
