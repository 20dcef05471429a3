import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { classifyConnectionError, isCertificateError } from '../../pki/diagnose/classify-error.ts';
import { diagnose } from '../../pki/diagnose/diagnose.ts';
import { diagnosisSpecs } from '../../pki/diagnose/errors.ts';
import { diagnosisError } from '../../pki/diagnose/report.ts';
import type { Config } from '../config/load.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import type { AddressPolicy } from './address-policy.ts';
import { OutboundInvalidUrl, OutboundTooLarge, OutboundTooManyRedirects } from './errors.ts';
import { type ResolvedAddress, resolveHost } from './resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from './trust-anchors-provider.ts';

export interface OutboundClientOptions extends AddressPolicy {
  /** The trust store, read again for every request (changes apply without a restart). */
  trustAnchors: TrustAnchorsProvider;
  /** Also trust the public roots Node.js ships. Default true. */
  includePublicRoots?: boolean;
  /** Allow plain http:// URLs (never the default). */
  allowHttp?: boolean;
  /** TCP connect + TLS handshake. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Whole request, body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** Response body limit. Default 10 MiB. */
  maxBytes?: number;
  /** Default 5; each hop is checked like the first. */
  maxRedirects?: number;
  /** On a certificate failure, reconnect once to explain it (trust.* code with the chain). Default true. */
  diagnoseFailures?: boolean;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Overrides of the client's limits for this request. */
  maxBytes?: number;
  timeoutMs?: number;
}

export interface OutboundResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The address actually connected to. */
  address: string;
  text(): string;
  json<T = unknown>(): T;
}

export interface OutboundClient {
  request(url: string, req?: OutboundRequest): Promise<OutboundResponse>;
}

const DEFAULTS = { connectTimeoutMs: 10_000, timeoutMs: 30_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5 };

/** The client every outbound HTTPS connection of the portal goes through. */
export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const opts = {
    ...DEFAULTS,
    includePublicRoots: true,
    allowHttp: false,
    diagnoseFailures: true,
    ...options,
  };
  return {
    async request(url, req = {}) {
      const deadline = Date.now() + (req.timeoutMs ?? opts.timeoutMs);
      let current = parseUrl(url, opts.allowHttp);
      for (let hop = 0; ; hop++) {
        const res = await oneHop(current, req, opts, deadline);
        const location = res.status >= 300 && res.status < 400 ? res.headers.location : undefined;
        if (!location) return res;
        if (hop >= opts.maxRedirects)
          throw new MeridianError(
            OutboundTooManyRedirects,
            `${url} redirected more than ${opts.maxRedirects} times.`,
          );
        current = parseUrl(new URL(location, current).toString(), opts.allowHttp);
      }
    },
  };
}

/** Client options from the portal's configuration. */
export function outboundOptionsFromConfig(
  config: Pick<Config, 'outbound'>,
  trustAnchors: TrustAnchorsProvider,
): OutboundClientOptions {
  return {
    trustAnchors,
    allowLoopback: config.outbound.allowLoopback,
    allowPrivate: config.outbound.allowPrivate,
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
      ? `${text} uses plain http://: the portal fetches only https:// URLs here.`
      : `${text} uses ${url.protocol}//: the portal fetches only https:// URLs.`,
  );
}

async function oneHop(
  url: URL,
  req: OutboundRequest,
  opts: Required<OutboundClientOptions>,
  deadline: number,
): Promise<OutboundResponse> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const label = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  let resolved: ResolvedAddress | undefined;
  let anchors: readonly string[] = [];
  try {
    resolved = await withDeadline(resolveHost(host, opts), deadline, label);
    anchors = await currentAnchors(opts.trustAnchors);
    return await send(url, req, opts, resolved, anchors, deadline, label);
  } catch (err) {
    if (err instanceof MeridianError) throw err;
    if (resolved && url.protocol === 'https:' && isCertificateError(err) && opts.diagnoseFailures) {
      const report = await diagnose(url.toString(), {
        trustAnchors: anchors,
        includePublicRoots: opts.includePublicRoots,
        address: resolved.address,
        timeoutMs: Math.max(1000, Math.min(opts.connectTimeoutMs, deadline - Date.now())),
      });
      if (!report.ok) throw diagnosisError(report);
    }
    const c = classifyConnectionError(err, label);
    const spec = diagnosisSpecs[c.code]!;
    throw new MeridianError(spec, `${c.message} ${spec.fix}`, { cause: err, detail: String(err) });
  }
}

function send(
  url: URL,
  req: OutboundRequest,
  opts: Required<OutboundClientOptions>,
  resolved: ResolvedAddress,
  anchors: readonly string[],
  deadline: number,
  label: string,
): Promise<OutboundResponse> {
  const maxBytes = req.maxBytes ?? opts.maxBytes;
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const r = (https ? httpsRequest : httpRequest)({
      protocol: url.protocol,
      host,
      port: url.port || (https ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: req.method ?? 'GET',
      headers: { 'user-agent': 'Meridian', ...req.headers },
      agent: false,
      // The address was resolved and checked once; connect to exactly that one.
      lookup: (_h, o, cb) =>
        (o as { all?: boolean }).all
          ? (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [resolved])
          : (cb as (e: null, a: string, f: number) => void)(null, resolved.address, resolved.family),
      ...(https
        ? {
            ca: opts.includePublicRoots ? [...anchors, ...rootCertificates] : [...anchors],
            // A trusted intermediate or server certificate ends the path, as in verify-chain.ts.
            allowPartialTrustChain: true,
            rejectUnauthorized: true,
            servername: isIP(host) ? undefined : host,
            minVersion: 'TLSv1.2' as const,
          }
        : {}),
    });
    const fail = (err: Error) => {
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      r.destroy();
      reject(err);
    };
    const timeoutError = (what: string) =>
      Object.assign(new Error(`${label}: ${what}`), { code: 'ETIMEDOUT' });
    const connectTimer = setTimeout(
      () =>
        fail(timeoutError(`no ${https ? 'TLS handshake' : 'connection'} within ${opts.connectTimeoutMs} ms`)),
      Math.min(opts.connectTimeoutMs, Math.max(0, deadline - Date.now())),
    );
    const totalTimer = setTimeout(
      () => fail(timeoutError('no complete answer in time')),
      Math.max(0, deadline - Date.now()),
    );
    r.on('socket', (socket) =>
      socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer)),
    );
    r.on('error', fail);
    r.on('response', (res: IncomingMessage) => {
      clearTimeout(connectTimer);
      const declared = Number(res.headers['content-length'] ?? 0);
      const tooLarge = () =>
        fail(
          new MeridianError(
            OutboundTooLarge,
            `The answer of ${url.origin}${url.pathname} is larger than ${maxBytes} bytes.`,
          ),
        );
      if (declared > maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return tooLarge();
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(totalTimer);
        const body = Buffer.concat(chunks);
        resolve({
          url: url.toString(),
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          address: resolved.address,
          text: () => body.toString('utf8'),
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
        });
      });
    });
    r.end(req.body);
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
