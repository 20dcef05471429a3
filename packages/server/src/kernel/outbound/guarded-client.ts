import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { MeridianError } from '../errors/meridian-error.ts';
import type { AddressPolicy } from './address-policy.ts';
import type { CertificateExplainer } from './connection-failure.ts';
import { createOutboundConnections, type OutboundConnections } from './connection-pool.ts';
import { OutboundInvalidUrl, OutboundRedirectNotReplayable, OutboundTooManyRedirects } from './errors.ts';
import { limitBody } from './limit-body.ts';
import { type HopSettings, type OpenHop, openHop } from './open-hop.ts';
import { discardBody, isStreamedBody, type RequestBody } from './request-body.ts';
import type { TrustAnchorsProvider } from './trust-anchors-provider.ts';

export interface OutboundClientOptions extends AddressPolicy {
  /** The trust store, read again for every request (changes apply without a restart). */
  trustAnchors: TrustAnchorsProvider;
  /** Also trust the public roots Node.js ships. Default true. */
  includePublicRoots?: boolean;
  /** Allow plain http:// URLs (never the default). */
  allowHttp?: boolean;
  /** TCP connect + TLS handshake. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** request(): the whole request, body (sent and received) included. Default 30 000 ms. */
  timeoutMs?: number;
  /** request(): response body limit. Default 10 MiB. */
  maxBytes?: number;
  /** stream(): the whole transfer. Default 600 000 ms (10 minutes). */
  streamTimeoutMs?: number;
  /** stream(): response body limit, enforced while the body flows. Default 256 MiB. */
  streamMaxBytes?: number;
  /**
   * stream(): longest silence of the server, before the headers and between chunks. Default
   * 30 000 ms. While a streamed request body goes out, its progress counts as activity.
   */
  idleTimeoutMs?: number;
  /** Default 5; each hop is checked like the first. */
  maxRedirects?: number;
  /**
   * Explains a refused server certificate (which one, why, the fix); the pki module passes one
   * that diagnoses the connection. Without it the error is outbound.certificate_rejected.
   */
  explainCertificateFailure?: CertificateExplainer;
  /**
   * The secure contexts and kept-alive connections (connection-pool.ts), for the clients of one
   * trust store to share: pass the same one to every client made with `trustAnchors`. Default:
   * this client's own.
   */
  connections?: OutboundConnections;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /**
   * Bytes (sent again on a redirect), or a streamed body (request-body.ts: a Readable, an async
   * iterable, a web ReadableStream or a Blob; multipart-body.ts builds a form that streams a
   * file from disk) read once as it is sent, at the pace of the connection: give its length as
   * Content-Length in `headers` when it is known. A redirect answered to a streamed body fails
   * with outbound.redirect_not_replayable. The time limits cover sending it.
   */
  body?: RequestBody;
  /** Overrides of the client's limits for this request (for stream(): of the stream limits). */
  maxBytes?: number;
  timeoutMs?: number;
  /** stream() only. */
  idleTimeoutMs?: number;
  /**
   * Aborts the request (connecting, sending, waiting or reading the answer): it then fails with
   * the signal's reason, as it is, and its connection is closed.
   */
  signal?: AbortSignal;
}

interface AnswerHead {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The address actually connected to. */
  address: string;
}

export interface OutboundResponse extends AnswerHead {
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export interface OutboundStream extends AnswerHead {
  /**
   * The body as it arrives. It fails with outbound.response_too_large once more than the limit
   * arrived, net.timeout when the server falls silent or the transfer takes too long, and
   * outbound.response_incomplete when the connection closes early. Read it to the end or
   * destroy it. (`Readable.toWeb(body)` gives a web ReadableStream.)
   */
  body: Readable;
}

export interface OutboundClient {
  /** The whole answer in memory, for small documents (at most maxBytes). */
  request(url: string, req?: OutboundRequest): Promise<OutboundResponse>;
  /** The answer's body as a stream, for large documents (federation aggregates): never held whole. */
  stream(url: string, req?: OutboundRequest): Promise<OutboundStream>;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  timeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  streamTimeoutMs: 600_000,
  streamMaxBytes: 256 * 1024 * 1024,
  idleTimeoutMs: 30_000,
  maxRedirects: 5,
};

/** The client every outbound HTTPS connection of a Meridian node (portal or GIS server) goes through. */
export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const opts = { ...DEFAULTS, includePublicRoots: true, allowHttp: false, ...options };
  const hop: HopSettings = {
    allowLoopback: opts.allowLoopback,
    allowPrivate: opts.allowPrivate,
    trustAnchors: opts.trustAnchors,
    includePublicRoots: opts.includePublicRoots,
    connectTimeoutMs: opts.connectTimeoutMs,
    explainCertificateFailure: opts.explainCertificateFailure,
    connections: opts.connections ?? createOutboundConnections(),
  };

  /** Follows redirects (each hop checked like the first) up to the final answer's headers. */
  async function follow(url: string, req: OutboundRequest, headersBy: () => number) {
    try {
      req.signal?.throwIfAborted();
      return await followHops(url, req, headersBy);
    } catch (err) {
      // A streamed body that was not (wholly) read is released: its file is closed.
      if (req.body !== undefined && isStreamedBody(req.body)) discardBody(req.body);
      req.signal?.throwIfAborted();
      throw err;
    }
  }

  async function followHops(url: string, req: OutboundRequest, headersBy: () => number) {
    const send = {
      method: req.method ?? 'GET',
      headers: req.headers ?? {},
      body: req.body,
      signal: req.signal,
    };
    const streamed = req.body !== undefined && isStreamedBody(req.body);
    let current = parseUrl(url, opts.allowHttp);
    for (let n = 0; ; n++) {
      const opened: OpenHop = await openHop(current, send, hop, headersBy);
      const location =
        opened.res.statusCode! >= 300 && opened.res.statusCode! < 400
          ? opened.res.headers.location
          : undefined;
      if (!location) return { ...opened, url: current };
      opened.res.destroy();
      if (streamed)
        throw new MeridianError(
          OutboundRedirectNotReplayable,
          `${current.origin}${current.pathname} answered HTTP ${opened.res.statusCode} redirecting to ${new URL(location, current).toString()}, and the request's body is streamed: it is read once and cannot be sent there again. ${OutboundRedirectNotReplayable.fix}`,
        );
      if (n >= opts.maxRedirects)
        throw new MeridianError(
          OutboundTooManyRedirects,
          `${url} redirected more than ${opts.maxRedirects} times.`,
        );
      current = parseUrl(new URL(location, current).toString(), opts.allowHttp);
    }
  }

  return {
    async request(url, req = {}) {
      const deadline = Date.now() + (req.timeoutMs ?? opts.timeoutMs);
      const final = await follow(url, req, () => deadline);
      const chunks: Buffer[] = [];
      const body = limitBody(final.res, {
        maxBytes: req.maxBytes ?? opts.maxBytes,
        deadline,
        label: final.label,
        where: `${final.url.origin}${final.url.pathname}`,
      });
      const abort = () => body.destroy(req.signal?.reason as Error);
      req.signal?.addEventListener('abort', abort, { once: true });
      try {
        for await (const chunk of body) chunks.push(chunk as Buffer);
      } catch (err) {
        req.signal?.throwIfAborted();
        throw err;
      } finally {
        req.signal?.removeEventListener('abort', abort);
      }
      const all = Buffer.concat(chunks);
      return {
        ...head(final),
        body: all,
        text: () => all.toString('utf8'),
        json: <T>() => JSON.parse(all.toString('utf8')) as T,
      };
    },

    async stream(url, req = {}) {
      const deadline = Date.now() + (req.timeoutMs ?? opts.streamTimeoutMs);
      const idleTimeoutMs = req.idleTimeoutMs ?? opts.idleTimeoutMs;
      const final = await follow(url, req, () => Math.min(deadline, Date.now() + idleTimeoutMs));
      const body = limitBody(final.res, {
        maxBytes: req.maxBytes ?? opts.streamMaxBytes,
        deadline,
        idleTimeoutMs,
        label: final.label,
        where: `${final.url.origin}${final.url.pathname}`,
      });
      const signal = req.signal;
      if (signal) {
        const abort = () => body.destroy(signal.reason as Error);
        signal.addEventListener('abort', abort, { once: true });
        body.once('close', () => signal.removeEventListener('abort', abort));
      }
      return { ...head(final), body };
    },
  };
}

function head(final: OpenHop & { url: URL }): AnswerHead {
  return {
    url: final.url.toString(),
    status: final.res.statusCode ?? 0,
    headers: final.res.headers,
    address: final.address,
  };
}

function parseUrl(text: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MeridianError(OutboundInvalidUrl, `"${text}" is not a URL.`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowHttp)) return url;
  throw new MeridianError(
    OutboundInvalidUrl,
    url.protocol === 'http:'
      ? `${text} uses plain http://: Meridian fetches only https:// URLs here.`
      : `${text} uses ${url.protocol}//: Meridian fetches only https:// URLs.`,
  );
}
