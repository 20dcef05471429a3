import { isIP } from 'node:net';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { TokenNotGenerated } from './errors.ts';
import type { TokenBinding } from './token-format.ts';

/** '::ffff:127.0.0.1' and '127.0.0.1' are the same client. */
export function normalizeIp(ip: string): string {
  const v = ip.trim().toLowerCase();
  return v.startsWith('::ffff:') && isIP(v.slice(7)) === 4 ? v.slice(7) : v;
}

/**
 * What a generateToken request binds its token to:
 * - client=referer: the `referer` value, any string (arcgis-rest-js in Node sends
 *   '@esri/arcgis-rest-js' both as the referer parameter and as the Referer header);
 * - client=ip: the `ip` value; client=requestip (the default): the caller's own address.
 */
export function bindingFor(
  args: { client?: string; referer?: string; ip?: string },
  requestIp: string,
): TokenBinding {
  const client = args.client || 'requestip';
  if (client === 'referer') {
    const referer = args.referer?.trim();
    if (!referer)
      throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
        details: ["client=referer needs the 'referer' parameter (the URL or name of your application)."],
      });
    return { type: 'referer', value: referer };
  }
  if (client === 'ip') {
    const ip = args.ip?.trim();
    if (!ip || isIP(ip) === 0)
      throw new MeridianError(TokenNotGenerated, 'Unable to generate token.', {
        details: ["client=ip needs the 'ip' parameter with an IPv4 or IPv6 address."],
      });
    return { type: 'ip', value: normalizeIp(ip) };
  }
  return { type: 'ip', value: normalizeIp(requestIp) };
}

function originOf(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.origin === 'null' ? undefined : u.origin;
  } catch {
    return undefined;
  }
}

/**
 * The Referer rule: a referer-bound token is accepted when the request's Referer header
 * - equals the bound referer exactly (non-URL referers such as '@esri/arcgis-rest-js'), or
 * - starts with the bound referer at a path boundary ('https://app/x' covers 'https://app/x/page'), or
 * - has the same origin as a bound referer that is a bare origin ('https://app' or 'https://app/'),
 *   since browsers send the page URL, or only the origin under strict-origin referrer policies.
 */
export function refererMatches(bound: string, header: string | undefined): boolean {
  if (!header) return false;
  if (header === bound) return true;
  const base = bound.endsWith('/') ? bound : `${bound}/`;
  if (header.startsWith(base) || header.startsWith(`${bound}?`)) return true;
  const boundOrigin = originOf(bound);
  if (!boundOrigin) return false;
  const boundPath = new URL(bound).pathname;
  return boundPath === '/' && originOf(header) === boundOrigin;
}

export function bindingMatches(
  bind: TokenBinding,
  request: { ip: string; referer: string | undefined },
): boolean {
  if (bind.type === 'none') return true;
  if (bind.type === 'ip') return bind.value === normalizeIp(request.ip);
  return refererMatches(bind.value ?? '', request.referer);
}
