import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { MeridianError } from '../errors/meridian-error.ts';
import { type CertificateExplainer, connectionFailure } from './connection-failure.ts';
import type { OutboundConnections } from './connection-pool.ts';
import { NetworkError } from './net-errors.ts';
import type { PinnedRequestOptions } from './pinned-agent.ts';
import { bodyFailure, isStreamedBody, type RequestBody, streamedSource } from './request-body.ts';
import { type ResolvedAddress, resolveHost } from './resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from './trust-anchors-provider.ts';

export interface HopSettings {
  allowLoopback: boolean;
  allowPrivate: boolean;
  trustAnchors: TrustAnchorsProvider;
  includePublicRoots: boolean;
  connectTimeoutMs: number;
  explainCertificateFailure: CertificateExplainer | undefined;
  /** The secure context of the trust store read now, and the kept-alive connections made with it. */
  connections: OutboundConnections;
}

export interface HopRequest {
  method: string;
  headers: Record<string, string>;
  /** A streamed body is read once, as it is sent; bytes are written at once. */
  body: RequestBody | undefined;
  /** Aborts the request up to the answer's headers (the caller reports the signal's reason). */
  signal?: AbortSignal | undefined;
}

export interface OpenHop {
  res: IncomingMessage;
  /** The address actually connected to. */
  address: string;
  /** "host:port", for messages. */
  label: string;
}

/**
 * One request to one URL, up to the response headers: the host is resolved once and its
 * address checked against the policy, the connection goes to exactly that address (no second
 * lookup, so DNS cannot be rebound between check and use), TLS is verified against the trust
 * store read now. An HTTPS connection kept alive from an earlier request is reused only when it
 * goes to that same address and server name and was verified against that same trust store
 * (connection-pool.ts); a streamed body always gets a new connection. A request that is safe to
 * send twice (an idempotent method, a body of bytes) is sent once more, on a new connection,
 * when a reused one turns out to have been closed by the server before it answered; a POST is
 * not. `headersBy()` (epoch ms) bounds the wait for the answer's headers; it is asked again
 * whenever a chunk of a streamed body goes out, so a deadline that moves with progress (an idle
 * limit) is not passed by a long upload that keeps going, while one that does not move stops an
 * upload the server no longer reads. No byte of the body is sent before the address is checked. Every failure is a MeridianError (net.*, tls.*, outbound.*, or what the
 * explainer says).
 */
export async function openHop(
  url: URL,
  req: HopRequest,
  opts: HopSettings,
  headersBy: () => number,
): Promise<OpenHop> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const label = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  let resolved: ResolvedAddress | undefined;
  let anchors: readonly string[] = [];
  try {
    resolved = await withDeadline(resolveHost(host, opts), headersBy(), label);
    anchors = await currentAnchors(opts.trustAnchors);
    const streamed = req.body !== undefined && isStreamedBody(req.body);
    let res: IncomingMessage;
    try {
      res = await send(url, req, opts, resolved, anchors, headersBy, label, !streamed);
    } catch (err) {
      if (!(err instanceof ReusedConnectionLost)) throw err;
      if (!REPLAYABLE.has(req.method))
        throw new MeridianError(
          NetworkError,
          `${label} closed the kept-alive connection before answering (${(err.cause as { code?: string }).code}); the ${req.method} request is not sent again, as the server may have applied it. ${NetworkError.fix}`,
          { cause: err.cause, detail: String(err.cause) },
        );
      res = await send(url, req, opts, resolved, anchors, headersBy, label, false);
    }
    return { res, address: resolved.address, label };
  } catch (err) {
    throw await connectionFailure(err, {
      url,
      label,
      address: resolved?.address,
      trustAnchors: anchors,
      includePublicRoots: opts.includePublicRoots,
      timeoutMs: Math.max(1000, Math.min(opts.connectTimeoutMs, headersBy() - Date.now())),
      explain: opts.explainCertificateFailure,
    });
  }
}

/** Methods a server applies the same however often it gets them (RFC 9110 9.2.2). */
const REPLAYABLE = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** A kept-alive connection the server had closed: the request may not have reached it. */
class ReusedConnectionLost extends Error {
  override readonly cause: Error;
  constructor(cause: Error) {
    super(cause.message);
    this.cause = cause;
  }
}

const LOST_ON_REUSE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function send(
  url: URL,
  req: HopRequest,
  opts: HopSettings,
  resolved: ResolvedAddress,
  anchors: readonly string[],
  headersBy: () => number,
  label: string,
  reuse: boolean,
): Promise<IncomingMessage> {
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const streamed = req.body !== undefined && isStreamedBody(req.body) ? streamedSource(req.body) : undefined;
  const hasLength = Object.keys(req.headers).some((h) => h.toLowerCase() === 'content-length');
  const length =
    streamed?.length !== undefined && !hasLength ? { 'content-length': String(streamed.length) } : {};
  const tls = https ? opts.connections.forTrust(anchors, opts.includePublicRoots) : undefined;
  const options: Omit<PinnedRequestOptions, 'pinnedAddress'> & { pinnedAddress?: string } = {
    protocol: url.protocol,
    host,
    port: url.port || (https ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: req.method,
    headers: { 'user-agent': 'Meridian', ...length, ...req.headers },
    agent: (reuse && tls?.agent) || false,
    lookup: (_h, o, cb) =>
      (o as { all?: boolean }).all
        ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [resolved])
        : (cb as (e: null, a: string, f: number) => void)(null, resolved.address, resolved.family),
    ...(tls
      ? {
          // Trust store, partial chains and the TLS 1.2 minimum are the context's (trust-context.ts).
          secureContext: tls.context,
          rejectUnauthorized: true,
          servername: isIP(host) ? undefined : host,
          pinnedAddress: resolved.address,
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const r = (https ? httpsRequest : httpRequest)(options);
    let answered = false;
    const fail = (err: Error) => {
      // After the answer's headers, its body's reader (limit-body.ts) reports what goes wrong.
      if (answered) return;
      answered = true;
      req.signal?.removeEventListener('abort', aborted);
      clearTimeout(connectTimer);
      clearTimeout(headersTimer);
      r.destroy();
      streamed?.readable.destroy();
      const code = (err as { code?: string }).code;
      reject(r.reusedSocket && code && LOST_ON_REUSE.has(code) ? new ReusedConnectionLost(err) : err);
    };
    const timeoutError = (what: string) =>
      Object.assign(new Error(`${label}: ${what}`), { code: 'ETIMEDOUT' });
    const connectTimer = setTimeout(
      () =>
        fail(timeoutError(`no ${https ? 'TLS handshake' : 'connection'} within ${opts.connectTimeoutMs} ms`)),
      Math.min(opts.connectTimeoutMs, Math.max(0, headersBy() - Date.now())),
    );
    let headersTimer: NodeJS.Timeout | undefined;
    const armHeadersTimer = () => {
      if (answered) return;
      clearTimeout(headersTimer);
      headersTimer = setTimeout(
        () => fail(timeoutError('no answer in time')),
        Math.max(0, headersBy() - Date.now()),
      );
    };
    armHeadersTimer();
    const aborted = () =>
      fail(Object.assign(new Error(`${label}: the request was aborted`), { code: 'ABORT_ERR' }));
    req.signal?.addEventListener('abort', aborted, { once: true });
    if (req.signal?.aborted) aborted();
    r.on('socket', (socket) => {
      if (r.reusedSocket) clearTimeout(connectTimer);
      else socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    r.on('error', fail);
    r.on('response', (res: IncomingMessage) => {
      answered = true;
      req.signal?.removeEventListener('abort', aborted);
      clearTimeout(connectTimer);
      clearTimeout(headersTimer);
      // From here on the body's reader (limit-body.ts) sees what goes wrong, on the response.
      r.off('error', fail);
      r.on('error', (err) => res.destroy(err));
      resolve(res);
    });
    if (!streamed) {
      r.end(req.body);
      return;
    }
    // Backpressure paces the reading of the body by the socket: a chunk is read when the
    // previous one went out, so the body is never held whole. A failure of the body's source is
    // reported as such, heard before the pipeline tears the request down (which r would report
    // as a reset); an error of r reaches `fail` first, so it is not mistaken for the body's.
    streamed.readable.once('error', (err) => fail(bodyFailure(err, label)));
    pipeline(
      streamed.readable,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          armHeadersTimer();
          yield chunk;
        }
      },
      r,
    ).catch(() => {});
  });
}

async function withDeadline<T>(p: Promise<T>, deadline: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(Object.assign(new Error(`${label}: name resolution took too long`), { code: 'ETIMEDOUT' })),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
