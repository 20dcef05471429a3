import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { MeridianError } from '../errors/meridian-error.ts';
import { OutboundTooLarge } from './errors.ts';
import { ResponseIncomplete, Timeout } from './net-errors.ts';

export interface BodyLimits {
  /** The answer may not be longer than this; the stream fails as soon as it passes. */
  maxBytes: number;
  /** Epoch ms by which the whole body must have arrived. */
  deadline: number;
  /** Longest silence between two chunks (ms); none when undefined. */
  idleTimeoutMs?: number;
  /** "host:port", for messages. */
  label: string;
  /** The URL without its query, for messages. */
  where: string;
}

/**
 * The body of an answer as a stream that keeps the guarded client's limits while it flows: it
 * fails with outbound.response_too_large once more than maxBytes arrived, with net.timeout when
 * the server falls silent or the deadline passes, and with outbound.response_incomplete when the
 * connection closes before the end. It holds at most one chunk beyond what its reader asked
 * for: the socket is paused whenever the reader is behind, so nothing is ever buffered whole.
 * An answer that announces more than maxBytes (Content-Length) is refused here, by a throw.
 */
export function limitBody(res: IncomingMessage, limits: BodyLimits): Readable {
  const declared = Number(res.headers['content-length'] ?? Number.NaN);
  let size = 0;
  let settled = false;
  let idle: NodeJS.Timeout | undefined;
  const out = new Readable({
    read: () => res.resume(),
    destroy: (err, cb) => {
      settle();
      if (!res.destroyed) res.destroy();
      cb(err);
    },
  });
  const settle = () => {
    settled = true;
    clearTimeout(idle);
    clearTimeout(total);
  };
  const fail = (err: MeridianError) => {
    if (settled) return;
    settle();
    out.destroy(err);
  };
  const armIdle = () => {
    if (limits.idleTimeoutMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(
      () =>
        fail(
          new MeridianError(
            Timeout,
            `${limits.label} sent nothing for ${limits.idleTimeoutMs} ms in the middle of its answer (${size} bytes received). ${Timeout.fix}`,
          ),
        ),
      limits.idleTimeoutMs,
    );
  };
  const total = setTimeout(
    () =>
      fail(
        new MeridianError(
          Timeout,
          `${limits.label} did not send its whole answer in time (${size} bytes received). ${Timeout.fix}`,
        ),
      ),
    Math.max(0, limits.deadline - Date.now()),
  );
  const incomplete = () =>
    fail(
      new MeridianError(
        ResponseIncomplete,
        `${limits.label} closed the connection after ${size} bytes${
          Number.isFinite(declared) ? ` of the ${declared} it announced` : ''
        }, before the end of the answer of ${limits.where}. ${ResponseIncomplete.fix}`,
      ),
    );
  if (declared > limits.maxBytes) {
    settle();
    res.destroy();
    throw tooLarge(limits);
  }
  armIdle();
  res.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limits.maxBytes) return fail(tooLarge(limits));
    armIdle();
    if (!out.push(chunk)) res.pause();
  });
  res.on('end', () => {
    if (settled) return;
    if (!res.complete || (Number.isFinite(declared) && size < declared)) return incomplete();
    settle();
    out.push(null);
  });
  // An error or a close before 'end' is a connection lost mid-body (ECONNRESET "aborted").
  res.on('error', incomplete);
  res.on('close', () => {
    if (!res.complete) incomplete();
  });
  return out;
}

function tooLarge(limits: BodyLimits): MeridianError {
  return new MeridianError(
    OutboundTooLarge,
    `The answer of ${limits.where} is larger than ${limits.maxBytes} bytes.`,
  );
}
