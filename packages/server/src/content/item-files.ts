import { randomBytes } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadedFile } from '../http/uploaded-file.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { FileStoreFailed } from './errors.ts';

/**
 * Item files live in the files directory (content.filesDir, by default <home>/files) under a
 * random key: the name on disk is never chosen by a client, and the database row only holds the
 * key. Functions here take that directory.
 */
const KEY = /^[0-9a-f]{32}$/;

export function storedFilePath(dir: string, key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid stored file key`);
  return join(dir, key);
}

/** Moves an upload out of <home>/tmp into the file store; returns its key. */
export async function adoptUpload(dir: string, upload: UploadedFile): Promise<string> {
  const key = randomBytes(16).toString('hex');
  const target = storedFilePath(dir, key);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await upload.moveTo(target);
  } catch (err) {
    await unlink(target).catch(() => {});
    throw new MeridianError(FileStoreFailed, undefined, { cause: err, detail: (err as Error).message });
  }
  return key;
}

/** Removes a stored file; a file already gone is not an error. */
export async function removeStoredFile(dir: string, key: string | null): Promise<void> {
  if (!key) return;
  await unlink(storedFilePath(dir, key)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** A declared content type if it looks like one, else application/octet-stream. */
export function safeContentType(mimetype: string | undefined): string {
  return mimetype && mimetype.length <= 100 && /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/.test(mimetype)
    ? mimetype.toLowerCase()
    : 'application/octet-stream';
}
