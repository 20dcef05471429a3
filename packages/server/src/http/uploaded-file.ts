import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Only saveUpload below can make an UploadedFile: no decoded body can produce one. */
const MINT = Symbol('UploadedFile');

/** Names of the temporary files uploads are streamed to, in <home>/tmp. */
export const UPLOAD_PREFIX = 'upload-';

/**
 * A multipart file part that has been written to a temporary file under <home>/tmp. Its path
 * is private: code that receives one can read it, move it into a store, or discard it, never
 * name another file. `size` is the number of bytes written, whatever the client declared.
 */
export class UploadedFile {
  readonly fieldname: string;
  readonly filename: string;
  readonly mimetype: string;
  readonly size: number;
  #path: string | undefined;

  constructor(mint: symbol, path: string, meta: UploadMeta, size: number) {
    if (mint !== MINT) throw new TypeError('An UploadedFile is made only by the multipart parser.');
    this.#path = path;
    this.fieldname = meta.fieldname;
    this.filename = meta.filename;
    this.mimetype = meta.mimetype;
    this.size = size;
  }

  /** The bytes, for small files (certificates, thumbnails); callers check `size` first. */
  async read(): Promise<Buffer> {
    return readFile(this.#owned());
  }

  /** The first `bytes` bytes (fewer when the file is shorter). */
  async head(bytes: number): Promise<Buffer> {
    const fh = await open(this.#owned(), 'r');
    try {
      const buf = Buffer.alloc(Math.min(bytes, this.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Moves the file to `target` (a path the caller chose); the upload no longer owns it. */
  async moveTo(target: string): Promise<void> {
    const from = this.#owned();
    try {
      await rename(from, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(from, target);
      await unlink(from).catch(() => {});
    }
    this.#path = undefined;
  }

  /** Removes the temporary file unless it was moved; safe to call more than once. */
  async discard(): Promise<void> {
    const path = this.#path;
    this.#path = undefined;
    if (path) await unlink(path).catch(() => {});
  }

  #owned(): string {
    if (!this.#path) throw new Error(`the upload '${this.filename}' was already moved or discarded`);
    return this.#path;
  }
}

export interface UploadMeta {
  fieldname: string;
  filename: string;
  mimetype: string;
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return v instanceof UploadedFile;
}

/** Thrown by saveUpload when the part is longer than maxBytes (the partial file is removed). */
export class UploadTooLarge extends Error {
  readonly filename: string;

  constructor(filename: string) {
    super(`upload '${filename}' is larger than the limit`);
    this.filename = filename;
  }
}

/**
 * Streams one file part (a stream, or bytes already held in memory) to a new file in tmpDir,
 * counting what is written and stopping past maxBytes. On any failure the partial file is
 * removed before the error propagates.
 */
export async function saveUpload(
  source: Readable | Buffer[],
  tmpDir: string,
  meta: UploadMeta,
  maxBytes: number,
): Promise<UploadedFile> {
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const path = join(tmpDir, `${UPLOAD_PREFIX}${randomUUID()}`);
  let written = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (written > maxBytes) done(new UploadTooLarge(meta.filename));
      else done(null, chunk);
    },
  });
  try {
    const input = Array.isArray(source) ? Readable.from(source) : source;
    await pipeline(input, count, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  } catch (err) {
    await unlink(path).catch(() => {});
    throw err;
  }
  return new UploadedFile(MINT, path, meta, written);
}
