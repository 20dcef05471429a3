/**
 * The one place that says which redirect URIs an app may register and whether a presented
 * redirect_uri is one of them. Registration (registerApp, update, updateAppInfo) and the
 * authorization flow (oauth2/authorize, oauth2/token) both call these functions.
 *
 * Matching is exact on a canonical form: scheme and host lower-cased, a default port (443 for
 * https, 80 for http) dropped, an empty http(s) path written "/"; the path and query are
 * compared as sent (case-sensitive, no percent-decoding, no dot-segment removal), so a
 * look-alike host, another port, a longer or shorter path, a trailing slash, user info or
 * http for https never match.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { RedirectUriInvalid } from './errors.ts';
import { type AppType, OOB_REDIRECT } from './registry.ts';

/** At most this many redirect URIs per app. */
export const MAX_REDIRECT_URIS = 50;
/** At most this many characters per redirect URI. */
export const MAX_REDIRECT_URI_LENGTH = 2048;

/** Hosts on which plain http is allowed (RFC 8252 §7.3, loopback redirects of native apps). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Schemes that are not private-use: never a native app's redirect. */
const NOT_PRIVATE_USE = new Set([
  'about',
  'blob',
  'data',
  'file',
  'filesystem',
  'ftp',
  'intent',
  'javascript',
  'mailto',
  'sms',
  'tel',
  'urn',
  'vbscript',
  'view-source',
  'ws',
  'wss',
]);

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s;
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

type Parsed =
  | { kind: 'web'; scheme: 'http' | 'https'; host: string; port: string; pathAndQuery: string }
  | { kind: 'other'; scheme: string; rest: string };

/** Why a URI is refused, for the error message; undefined when it parses. */
type Refusal = string;

/**
 * Parses a URI into its canonical parts, or says why it cannot be a redirect URI at all (these
 * reasons apply to a presented redirect_uri as much as to a registered one).
 */
function parse(uri: string): Parsed | Refusal {
  if (uri.length === 0) return 'it is empty';
  if (uri.length > MAX_REDIRECT_URI_LENGTH)
    return `it is ${uri.length} characters long; the limit is ${MAX_REDIRECT_URI_LENGTH}`;
  if (!/^[\x21-\x7e]+$/.test(uri))
    return 'it contains spaces, control or non-ASCII characters (percent-encode them)';
  if (uri.includes('#')) return 'it has a fragment (#); the authorization server adds its own';
  if (uri.includes('*')) return 'it has a wildcard (*); register each URI in full';
  if (uri.includes('\\')) return 'it has a backslash, which browsers read as a slash';
  const m = SCHEME.exec(uri);
  if (!m) return 'it is not an absolute URI (it needs a scheme such as https:)';
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme !== 'http' && scheme !== 'https') {
    // A private-use scheme may carry an authority (myapp://callback): never user info.
    if (rest.startsWith('//') && /^\/\/[^/?]*@/.test(rest)) return 'it has user info (user@)';
    return { kind: 'other', scheme, rest };
  }
  if (!rest.startsWith('//')) return `it has no host (write ${scheme}://host/path)`;
  const afterSlashes = rest.slice(2);
  const end = afterSlashes.search(/[/?]/);
  const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
  const tail = end < 0 ? '' : afterSlashes.slice(end);
  if (authority.includes('@')) return 'it has user info (user@) before the host';
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hp) return 'its host and port cannot be read';
  const host = hp[1]!.toLowerCase();
  if (host === '') return 'it has no host';
  if (!HOST_NAME.test(host) && !IPV6_LITERAL.test(host)) return `its host '${host}' is not a valid host name`;
  let port = hp[2] ?? '';
  if (port !== '') {
    const n = Number(port);
    if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) return `its port '${port}' is not a port number`;
    port = String(n);
    if ((scheme === 'https' && n === 443) || (scheme === 'http' && n === 80)) port = '';
  }
  // An empty path and "/" are the same request in HTTP; anything else is compared as sent.
  const pathAndQuery = tail === '' || tail.startsWith('?') ? `/${tail}` : tail;
  return { kind: 'web', scheme, host, port, pathAndQuery };
}

function canonical(p: Parsed): string {
  if (p.kind === 'other') return `${p.scheme}:${p.rest}`;
  return `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}${p.pathAndQuery}`;
}

/** The canonical form of a redirect URI (what matching compares), or undefined if it is not one. */
export function canonicalRedirectUri(uri: string): string | undefined {
  const p = parse(uri);
  return typeof p === 'string' ? undefined : canonical(p);
}

/** Why `uri` may not be registered for an app of this type, or undefined when it may. */
export function redirectUriRefusal(uri: string, appType: AppType): string | undefined {
  const p = parse(uri);
  if (typeof p === 'string') return p;
  if (p.kind === 'web') {
    if (p.scheme === 'http' && !LOOPBACK_HOSTS.has(p.host))
      return 'http is allowed only for localhost, 127.0.0.1 and [::1]; use https';
    return undefined;
  }
  if (canonical(p) === OOB_REDIRECT) return undefined;
  if (p.scheme === 'urn') return `the only urn: redirect is ${OOB_REDIRECT}`;
  if (NOT_PRIVATE_USE.has(p.scheme)) return `${p.scheme}: is not a private-use scheme`;
  if (appType !== 'native' && appType !== 'multiple')
    return `a private-use scheme (${p.scheme}:) is allowed only for native and multiple apps, not ${appType}`;
  if (p.rest === '' || p.rest === '//') return 'it has nothing after the scheme';
  return undefined;
}

function refuse(message: string): never {
  throw new MeridianError(RedirectUriInvalid, message);
}

function shown(uri: string): string {
  return uri.length > 200 ? `${uri.slice(0, 200)}…` : uri;
}

/**
 * The redirect_uris parameter of registerApp, oauth2/apps/<id>/update and updateAppInfo: a
 * JSON array of strings (arcgis-rest-js sends arrays JSON-encoded; a single bare URI is taken
 * as a one-element list). Each is checked against the rules for `appType`; duplicates (same
 * canonical form) are dropped. Refusals name the URI and the rule.
 */
export function parseRegisteredRedirectUris(value: string | readonly unknown[], appType: AppType): string[] {
  let list: unknown;
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === '') return [];
    if (v.startsWith('[')) {
      try {
        list = JSON.parse(v);
      } catch {
        refuse("'redirect_uris' starts with '[' but is not valid JSON: send a JSON array of strings.");
      }
    } else if (SCHEME.test(v) && !v.includes(',')) list = [v];
    else
      refuse(
        '\'redirect_uris\' must be a JSON array of strings, such as ["https://app.example.com/callback"].',
      );
  } else list = value;
  if (!Array.isArray(list)) refuse("'redirect_uris' must be a JSON array of strings.");
  if (list.length > MAX_REDIRECT_URIS)
    refuse(`'redirect_uris' has ${list.length} entries; the limit is ${MAX_REDIRECT_URIS}.`);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const entry of list) {
    if (typeof entry !== 'string') refuse("'redirect_uris' must contain only strings.");
    const uri = entry.trim();
    const why = redirectUriRefusal(uri, appType);
    if (why) refuse(`Redirect URI '${shown(uri)}' is refused: ${why}.`);
    const key = canonicalRedirectUri(uri)!;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(uri);
  }
  return out;
}

/**
 * Whether `presented` (an authorization request's redirect_uri) is one of the registered URIs:
 * exactly, after canonicalisation (see the top of this file). A presented URI that is not a
 * valid redirect URI (user info, fragment, wildcard, bad host) matches nothing.
 */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  const want = canonicalRedirectUri(presented);
  if (want === undefined) return false;
  return registered.some((r) => canonicalRedirectUri(r) === want);
}
