import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { FederationPropertiesInvalid } from './errors.ts';

/** What a portal hands a server in security/config/update (protocol step 3), checked. */
export interface PortalProperties {
  /** The portal's URL without /sharing/rest, no trailing slash (owningSystemUrl). */
  portalUrl: string;
  portalId: string;
  /** The id the portal gave this server: its tokens' kid is `fs<serverId>`. */
  serverId: string;
  /** The shared secret (32 bytes). */
  secret: Buffer;
  /** The portal's CA certificate(s), PEM, for this server's trust store. */
  caChain: string[];
}

/** `fs` + the id must be a plausible token kid (8–32 of [A-Za-z0-9_-]). */
const SERVER_ID_RE = /^[A-Za-z0-9_-]{6,30}$/;
const PORTAL_ID_RE = /^[A-Za-z0-9_.-]{1,100}$/;

function invalid(message: string): MeridianError {
  return new MeridianError(FederationPropertiesInvalid, `portalProperties: ${message}`);
}

/** The portal's URL as this server keeps it: https, no query, no trailing slash. */
export function normalizePortalUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`portalUrl "${text}" is not a URL.`);
  }
  if (url.protocol !== 'https:') throw invalid(`portalUrl must be an https:// URL, not ${url.protocol}//.`);
  if (url.search || url.hash || url.username)
    throw invalid('portalUrl must have no query, fragment or user.');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/sharing\/rest$/i, '');
  return `${url.origin}${path}`;
}

/** The shared secret: base64url of exactly 32 bytes. */
export function decodeSecret(text: string): Buffer {
  if (!/^[A-Za-z0-9_-]{43}=?$/.test(text))
    throw invalid('portalSecretKey must be the base64url encoding of 32 random bytes.');
  const secret = Buffer.from(text, 'base64url');
  if (secret.length !== 32)
    throw invalid('portalSecretKey must be the base64url encoding of 32 random bytes.');
  return secret;
}

/** Parses the portalProperties JSON of a federation; `{}` (unfederate) answers undefined. */
export function parsePortalProperties(json: string): PortalProperties | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid('is not JSON.');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('must be a JSON object.');
  const p = raw as Record<string, unknown>;
  if (Object.keys(p).length === 0) return undefined;
  const text = (name: string): string => {
    const v = p[name];
    if (typeof v !== 'string' || v === '') throw invalid(`${name} is missing or not a string.`);
    return v;
  };
  const serverId = text('serverId');
  if (!SERVER_ID_RE.test(serverId)) throw invalid('serverId must be 6 to 30 of A-Z, a-z, 0-9, _ and -.');
  const portalId = text('portalId');
  if (!PORTAL_ID_RE.test(portalId)) throw invalid('portalId must be 1 to 100 of A-Z, a-z, 0-9, _, . and -.');
  const chain = p.portalCaChain;
  const caChain = typeof chain === 'string' ? [chain] : chain;
  if (
    !Array.isArray(caChain) ||
    caChain.length === 0 ||
    !caChain.every((c) => typeof c === 'string' && c.includes('-----BEGIN CERTIFICATE-----'))
  )
    throw invalid('portalCaChain must be a non-empty array of PEM certificates.');
  return {
    portalUrl: normalizePortalUrl(text('portalUrl')),
    portalId,
    serverId,
    secret: decodeSecret(text('portalSecretKey')),
    caChain: caChain as string[],
  };
}
