/**
 * Request bodies of the guarded client: bytes held in memory (sent at once, sent again on a
 * redirect) or a streamed body, read once as it is sent and never held whole (a file upload).
 */
import { Readable } from 'node:stream';
import { ReadableStream } from 'node:stream/web';
import { MeridianError } from '../errors/meridian-error.ts';
import { OutboundRequestBodyFailed } from './errors.ts';

/**
 * A body read once, while it is sent: a Node Readable, any async iterable of bytes (an async
 * generator), a web ReadableStream, or a Blob (`openAsBlob(path)` reads the file as it goes).
 * Its length is the Content-Length header when the caller gives one (a Blob's size otherwise);
 * without it the body goes chunked. It cannot be sent twice, so it follows no redirect.
 */
export type StreamedBody = Readable | AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array> | Blob;

export type RequestBody = string | Uint8Array | StreamedBody;

export function isStreamedBody(body: RequestBody): body is StreamedBody {
  return typeof body !== 'string' && !(body instanceof Uint8Array);
}

/** The streamed body as a Node Readable, and its length when the body itself knows it. */
export function streamedSource(body: StreamedBody): { readable: Readable; length?: number } {
  if (body instanceof Blob)
    return { readable: Readable.fromWeb(body.stream() as ReadableStream<Uint8Array>), length: body.size };
  if (body instanceof Readable) return { readable: body };
  if (body instanceof ReadableStream) return { readable: Readable.fromWeb(body) };
  return { readable: Readable.from(body, { objectMode: false }) };
}

/** The error a body that fails while it is read is reported with (a MeridianError passes as it is). */
export function bodyFailure(err: unknown, label: string): MeridianError {
  if (err instanceof MeridianError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new MeridianError(
    OutboundRequestBodyFailed,
    `The request body to ${label} could not be read while it was sent: ${why}. ${OutboundRequestBodyFailed.fix}`,
    { cause: err, detail: String(err) },
  );
}

/** Releases a streamed body that will not be read (any more): its source (a file) is closed. */
export function discardBody(body: StreamedBody): void {
  if (body instanceof Readable) body.destroy();
  else if (body instanceof ReadableStream) {
    if (!body.locked) void body.cancel().catch(() => {});
  } else if (!(body instanceof Blob)) {
    // An async generator (multipart-body.ts) runs its cleanup on return().
    const it = body as AsyncIterable<unknown> & { return?: () => unknown };
    void Promise.resolve(it.return?.()).catch(() => {});
  }
}
