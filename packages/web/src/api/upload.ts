import { UploadRequest, type UploadTicket } from "@localstays/core/photo/schema";
import { fieldLabel } from "../listing/labels.js";

export type CheckedUpload = { ok: true; request: UploadRequest } | { ok: false; message: string };

/** The upload request for a file, checked with core's rules before anything is sent. */
export function uploadRequestFor(file: Blob, caption: string): CheckedUpload {
  const result = UploadRequest.safeParse({
    contentType: file.type,
    contentLength: file.size,
    ...(caption.trim() ? { caption } : {}),
  });
  if (result.success) return { ok: true, request: result.data };
  const problems = result.error.issues.map(
    (issue) => `${fieldLabel(issue.path.map(String).join("."))} ${issue.message}`,
  );
  return { ok: false, message: `This photo cannot be uploaded: ${problems.join("; ")}.` };
}

/** The presigned POST's form: every policy field, then the file (S3 ignores fields after it). */
export function uploadForm(fields: Record<string, string>, file: Blob): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", file);
  return form;
}

/** S3 answers errors in XML: its <Message>, else the status. */
export function storageErrorMessage(status: number, body: string): string {
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return `The photo storage refused the upload (${message ?? `status ${status}`}).`;
}

/**
 * Uploads the file straight to S3 with the presigned POST. XMLHttpRequest rather than fetch:
 * only it reports upload progress.
 */
export function uploadFile(
  upload: UploadTicket["upload"],
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", upload.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new Error(storageErrorMessage(xhr.status, xhr.responseText)));
    };
    xhr.onerror = () => reject(new Error("Could not reach the photo storage. Try again."));
    xhr.send(uploadForm(upload.fields, file));
  });
}
