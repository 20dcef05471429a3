import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { type CertificateExplainer, connectionFailure } from './connection-failure.ts';
import { type ResolvedAddress, resolveHost } from './resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from './trust-anchors-provider.ts';

export interface HopSettings {
  allowLoopback: boolean;
  allowPrivate: boolean;
  trustAnchors: TrustAnchorsProvider;
  includePublicRoots: boolean;
  connectTimeoutMs: number;
  explainCertificateFailure: CertificateExplainer | undefined;
}

export interface HopRequest {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
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
 * store read now. `headersBy` (epoch ms) bounds the wait for the answer's headers. Every
 * failure is a MeridianError (net.*, tls.*, outbound.*, or what the explainer says).
 */
export async function openHop(
  url: URL,
  req: HopRequest,
  opts: HopSettings,
  headersBy: number,
): Promise<OpenHop> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const label = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  let resolved: ResolvedAddress | undefined;
  let anchors: readonly string[] = [];
  try {
    resolved = await withDeadline(resolveHost(host, opts), headersBy, label);
    anchors = await currentAnchors(opts.trustAnchors);
    const res = await send(url, req, opts, resolved, anchors, headersBy, label);
    return { res, address: resolved.address, label };
  } catch (err) {
    throw await connectionFailure(err, {
      url,
      label,
      address: resolved?.address,
      trustAnchors: anchors,
      includePublicRoots: opts.includePublicRoots,
      timeoutMs: Math.max(1000, Math.min(opts.connectTimeoutMs, headersBy - Date.now())),
      explain: opts.explainCertificateFailure,
    });
  }
}

function send(
  url: URL,
  req: HopRequest,
  opts: HopSettings,
  resolved: ResolvedAddress,
  anchors: readonly string[],
  headersBy: number,
  label: string,
): Promise<IncomingMessage> {
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const r = (https ? httpsRequest : httpRequest)({
      protocol: url.protocol,
      host,
      port: url.port || (https ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: req.method,
      headers: { 'user-agent': 'Meridian', ...req.headers },
      agent: false,
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
      clearTimeout(headersTimer);
      r.destroy();
      reject(err);
    };
    const timeoutError = (what: string) =>
      Object.assign(new Error(`${label}: ${what}`), { code: 'ETIMEDOUT' });
    const connectTimer = setTimeout(
      () =>
        fail(timeoutError(`no ${https ? 'TLS handshake' : 'connection'} within ${opts.connectTimeoutMs} ms`)),
      Math.min(opts.connectTimeoutMs, Math.max(0, headersBy - Date.now())),
    );
    const headersTimer = setTimeout(
      () => fail(timeoutError('no answer in time')),
      Math.max(0, headersBy - Date.now()),
    );
    r.on('socket', (socket) =>
      socket.once(https ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer)),
    );
    r.on('error', fail);
    r.on('response', (res: IncomingMessage) => {
      clearTimeout(connectTimer);
      clearTimeout(headersTimer);
      // From here on the body's reader (limit-body.ts) sees what goes wrong, on the response.
      r.off('error', fail);
      r.on('error', (err) => res.destroy(err));
      resolve(res);
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
