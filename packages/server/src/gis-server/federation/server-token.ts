import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Federation } from './federation-store.ts';

/**
 * A portal's server token (protocol step 4), verified here with the federation's secret and no
 * call to the portal: `v1.fs<serverId>.<base64url(JSON payload)>.<base64url(HMAC-SHA256(secret,
 * "v1.<kid>.<payload>"))>`, the same layout as the tokens module's own tokens.
 */
export interface ServerTokenPayload {
  uid: string;
  sub: string;
  iat: number;
  exp: number;
  kind: 'server';
  bind?: { type: 'none' | 'referer' | 'ip'; value?: string };
  /** The server URL the token is for (lower-cased host). */
  aud: string;
  role: 'admin' | 'publisher' | 'user';
  /** The portal's id. */
  orgId: string;
}

/** The kid of this server's tokens under a federation. */
export const federatedKid = (f: Pick<Federation, 'serverId'>) => `fs${f.serverId}`;

/** The kid a token names, without trusting anything else in it. */
export function kidOf(token: string): string | undefined {
  const parts = token.split('.');
  return parts.length === 4 && parts[0] === 'v1' ? parts[1] : undefined;
}

/** A server URL compared case-insensitively in scheme and host, without a trailing slash. */
export function normalizeServerUrl(text: string): string | undefined {
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase().replace(/\/arcgis$/, '');
  } catch {
    return undefined;
  }
}

const ROLES = new Set(['admin', 'publisher', 'user']);

/**
 * Checks a token that names this federation's kid: signature, kind, portal, expiry and
 * audience. Throws with `invalid(why)` (498) when anything is off; `why` is for the log only.
 */
export function verifyServerToken(
  f: Federation,
  token: string,
  opts: { serverUrl: string; now: number; invalid: (why: string) => MeridianError },
): ServerTokenPayload {
  const { invalid } = opts;
  if (token.length > 4096) throw invalid('too long');
  const [v, kid, body, sig] = token.split('.');
  if (v !== 'v1' || kid !== federatedKid(f) || !body || !sig) throw invalid('malformed or another kid');
  const expected = createHmac('sha256', f.secret).update(`v1.${kid}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('bad signature');
  let p: ServerTokenPayload;
  try {
    p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ServerTokenPayload;
  } catch {
    throw invalid('payload is not JSON');
  }
  if (!p || typeof p !== 'object' || p.kind !== 'server') throw invalid('not a server token');
  if (typeof p.uid !== 'string' || typeof p.sub !== 'string' || !ROLES.has(p.role))
    throw invalid('payload lacks uid, sub or role');
  if (typeof p.exp !== 'number' || p.exp <= opts.now) throw invalid('expired');
  if (p.orgId !== f.portalId) throw invalid(`issued by portal ${String(p.orgId)}`);
  const aud = typeof p.aud === 'string' ? normalizeServerUrl(p.aud) : undefined;
  if (!aud || aud !== normalizeServerUrl(opts.serverUrl))
    throw invalid(`for another server (${String(p.aud)})`);
  return p;
}
