/**
 * A multipart/form-data request body (RFC 7578) for the guarded client that streams its file
 * parts from disk: text fields and small byte parts are encoded up front, each file is read in
 * chunks while the body is sent, so a form holding a 200 MB file costs a few chunks of memory.
 * The length is known before sending (files are measured when the form is built), so the
 * request carries a Content-Length; a file whose size changed since fails the upload.
 */
import { randomBytes } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { MeridianError } from '../errors/meridian-error.ts';
import { OutboundRequestBodyFailed } from './errors.ts';

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; data: Uint8Array; contentType?: string }
  /** A file read from `path` while the body is sent. */
  | { name: string; filename: string; path: string; contentType?: string };

export interface MultipartForm {
  /** The encoded form, read once (an async generator: a file is opened when its part is reached). */
  body: AsyncIterable<Uint8Array>;
  /** The exact byte length of `body`. */
  length: number;
  /** Content-Type (with the boundary) and Content-Length, for the request's headers. */
  headers: { 'content-type': string; 'content-length': string };
}

const CRLF = Buffer.from('\r\n');
const CHUNK = 64 * 1024;

/** Builds the form; file parts are measured now and read when the body is. */
export async function multipartBody(parts: readonly FormPart[]): Promise<MultipartForm> {
  const boundary = `----meridian${randomBytes(12).toString('hex')}`;
  const encoded = await Promise.all(
    parts.map(async (p) => {
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition(p)}\r\n${type(p)}\r\n`);
      if ('value' in p) return { head, bytes: Buffer.from(p.value, 'utf8'), size: 0 };
      if ('data' in p) return { head, bytes: Buffer.from(p.data), size: 0 };
      return { head, file: p.path, size: await fileSize(p.path) };
    }),
  );
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length =
    encoded.reduce((n, e) => n + e.head.length + (e.bytes?.length ?? e.size) + CRLF.length, 0) + tail.length;
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const e of encoded) {
      yield e.head;
      if (e.bytes) yield e.bytes;
      else if (e.file) yield* readExactly(e.file, e.size);
      yield CRLF;
    }
    yield tail;
  }
  return {
    body: body(),
    length,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(length),
    },
  };
}

/** The Content-Disposition value; `"`, CR and LF in names escaped as browsers do (WHATWG). */
function disposition(p: FormPart): string {
  const quote = (s: string) => s.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));
  return `form-data; name="${quote(p.name)}"${'filename' in p ? `; filename="${quote(p.filename)}"` : ''}`;
}

function type(p: FormPart): string {
  return 'filename' in p ? `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n` : '';
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (s.isFile()) return s.size;
  } catch (err) {
    throw unreadable(path, (err as { code?: string }).code ?? String(err), err);
  }
  throw unreadable(path, 'not a regular file');
}

/** The file's first `size` bytes in chunks; fails when the file is now of another size. */
async function* readExactly(path: string, size: number): AsyncGenerator<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw unreadable(path, (err as { code?: string }).code ?? String(err), err);
  }
  try {
    const now = (await handle.stat()).size;
    if (now !== size)
      throw unreadable(path, `its size changed from ${size} to ${now} bytes since the upload was prepared`);
    let read = 0;
    while (read < size) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - read));
      const { bytesRead } = await handle.read(buf, 0, buf.length, read);
      if (bytesRead === 0)
        throw unreadable(path, `it ended after ${read} of its ${size} bytes while it was uploaded`);
      read += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function unreadable(path: string, why: string, cause?: unknown): MeridianError {
  return new MeridianError(
    OutboundRequestBodyFailed,
    `The file ${path} cannot be uploaded: ${why}. ${OutboundRequestBodyFailed.fix}`,
    cause === undefined ? {} : { cause, detail: String(cause) },
  );
}
