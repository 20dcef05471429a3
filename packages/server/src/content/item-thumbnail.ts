import type { UploadedFile } from '../http/uploaded-file.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { InvalidThumbnail } from './errors.ts';
import { safeFileName } from './item-input.ts';

export const THUMBNAIL_MAX_BYTES = 1024 * 1024;

const FORMATS = [
  { ext: 'png', type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { ext: 'jpg', type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { ext: 'gif', type: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38] },
] as const;

/** The image format of some bytes, recognised by their signature, or undefined. */
export function imageFormat(head: Uint8Array): (typeof FORMATS)[number] | undefined {
  return FORMATS.find((f) => f.magic.every((b, i) => head[i] === b));
}

/** The content type of a stored thumbnail, from its name's extension. */
export function thumbnailContentType(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase();
  return (
    FORMATS.find((f) => f.ext === ext || (ext === 'jpeg' && f.ext === 'jpg'))?.type ??
    'application/octet-stream'
  );
}

/**
 * Checks an uploaded thumbnail (a PNG, JPEG or GIF image, recognised by its bytes, not by what
 * the client declared) and gives the name it is stored under: the client's file name with
 * the extension of its real format.
 */
export async function checkThumbnail(upload: UploadedFile): Promise<string> {
  if (upload.size > THUMBNAIL_MAX_BYTES)
    throw new MeridianError(
      InvalidThumbnail,
      `The thumbnail '${upload.filename}' is ${upload.size} bytes; the limit is ${THUMBNAIL_MAX_BYTES}.`,
    );
  const format = imageFormat(await upload.read());
  if (!format)
    throw new MeridianError(
      InvalidThumbnail,
      `The thumbnail '${upload.filename}' is not a PNG, JPEG or GIF image.`,
    );
  const base = safeFileName(upload.filename).replace(/\.[^.]*$/, '') || 'thumbnail';
  return `${base.replace(/[^\w.-]/g, '_').slice(0, 100)}.${format.ext}`;
}
