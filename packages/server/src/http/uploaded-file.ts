/** A multipart file part, already streamed to a temporary file under <home>/tmp. */
export interface UploadedFile {
  kind: 'file';
  filename: string;
  mimetype: string;
  tempPath: string;
  size: number;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && (v as UploadedFile).kind === 'file';
}
