import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerTokenPayload } from './server-token.ts';

/**
 * A Meridian token is self-contained, so that any node verifies it without a database read:
 *   v1.<kid>.<base64url(JSON payload)>.<base64url(HMAC-SHA256(key[kid], "v1.<kid>.<payload>"))>
 */
export interface TokenBinding {
  /** none: usable from anywhere; referer: only with that Referer; ip: only from that address. */
  type: 'none' | 'referer' | 'ip';
  value?: string;
}

export interface TokenPayload {
  /** User id. */
  uid: string;
  /** Username, for logs and for callers that do not need the user state. */
  sub: string;
  /** The user's token epoch when issued; raising users.token_epoch revokes the token. */
  ep: number;
  /** Issued at, epoch ms. */
  iat: number;
  /** Expires at, epoch ms. */
  exp: number;
  /**
   * 'api' tokens travel as parameters or headers; 'web' tokens only as the session cookie;
   * 'app' tokens (OAuth client_credentials) stand for a registered app, not a user: uid and sub
   * are its client_id.
   */
  kind: 'api' | 'web' | 'app';
  bind: TokenBinding;
  /** For 'web' tokens: the web session (web_sessions.id) the cookie belongs to. */
  sid?: string;
  /** For tokens issued through OAuth: the grant they were issued under (revoking it revokes them). */
  gid?: string;
}

const KID_RE = /^[A-Za-z0-9_-]{8,32}$/;

export function isPlausibleKid(kid: string): boolean {
  return KID_RE.test(kid);
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function signToken(kid: string, key: Buffer, payload: TokenPayload | ServerTokenPayload): string {
  const head = `v1.${kid}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${head}.${mac(key, head).toString('base64url')}`;
}

/** Splits a token without trusting it: the kid tells which key to verify with. */
export function parseToken(
  token: string,
): { kid: string; head: string; body: string; sig: string } | undefined {
  if (token.length > 4096) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
  const [, kid, body, sig] = parts as [string, string, string, string];
  if (!isPlausibleKid(kid) || !body || !sig) return undefined;
  return { kid, head: `v1.${kid}.${body}`, body, sig };
}

/** Checks the signature in constant time and decodes the payload; undefined when anything is off. */
export function verifySignature(
  parsed: { head: string; body: string; sig: string },
  key: Buffer,
): TokenPayload | undefined {
  const expected = mac(key, parsed.head);
  const given = Buffer.from(parsed.sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const p = JSON.parse(Buffer.from(parsed.body, 'base64url').toString('utf8')) as TokenPayload;
    if (typeof p.uid !== 'string' || typeof p.ep !== 'number' || typeof p.exp !== 'number') return undefined;
    return p;
  } catch {
    return undefined;
  }
}

/** A value derived from a token and a key (the CSRF token of a web session): needs no storage. */
export function deriveFromToken(key: Buffer, purpose: string, token: string): string {
  return mac(key, `${purpose}:${token}`).toString('base64url');
}
